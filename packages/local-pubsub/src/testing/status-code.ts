/** The gRPC status code a call fails with, or undefined when it succeeds. */
export function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as { code?: number }).code;
  }
}

/** The gRPC status code a promise rejects with, or undefined when it resolves. */
export function codeOfPromise(promise: Promise<unknown>): Promise<number | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => (error as { code?: number }).code,
  );
}
