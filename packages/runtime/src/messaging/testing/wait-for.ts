/** How the integration tests wait (`pollUntil(check, { describe, ...WAIT })`): 30 s, polled every 20 ms. */
export const WAIT = { timeoutMs: 30_000, intervalMs: 20 } as const;

/** Resolves after `ms`. Only for giving something the chance to happen that must not. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
