import { z } from 'zod';

/**
 * The claim an uploader holds on a ledger key while it delivers the file, so two deliveries of
 * the same file (a duplicate `file.ready`, or Pub/Sub redelivering while the first attempt still
 * runs) never write the same remote file at once. It expires unless renewed, so a crashed
 * uploader's claim frees itself.
 */
export interface DeliveryClaim {
  readonly schemaVersion: 1;
  /** Unique per handling of a message. */
  readonly holder: string;
  readonly fileEventId: string;
  readonly expiresAt: string;
}

const claimSchema = z.object({
  schemaVersion: z.literal(1),
  holder: z.string().min(1),
  fileEventId: z.string(),
  expiresAt: z.iso.datetime({ offset: true }),
});

export function newClaim(holder: string, fileEventId: string, now: Date, ttlMs: number): DeliveryClaim {
  return { schemaVersion: 1, holder, fileEventId, expiresAt: new Date(now.getTime() + ttlMs).toISOString() };
}

/** The same claim, expiring now: released for the next attempt. */
export function releasedClaim(claim: DeliveryClaim, now: Date): DeliveryClaim {
  return { ...claim, expiresAt: now.toISOString() };
}

/** Whether a stored claim still keeps others out. A record that does not parse holds nothing. */
export function claimIsLive(stored: unknown, now: Date): boolean {
  const parsed = claimSchema.safeParse(stored);
  return parsed.success && Date.parse(parsed.data.expiresAt) > now.getTime();
}
