/** google.protobuf.Duration / Timestamp as proto-loader hands them over (longs as numbers or strings). */
export interface ProtoDuration {
  seconds?: number | string | null;
  nanos?: number | null;
}

export function durationToMs(duration: ProtoDuration | null | undefined): number | undefined {
  if (duration === null || duration === undefined) return undefined;
  return Number(duration.seconds ?? 0) * 1000 + Math.floor((duration.nanos ?? 0) / 1e6);
}

/** Milliseconds as a Duration, or since the epoch as a Timestamp (same wire shape). */
export function msToProtoTime(ms: number): { seconds: number; nanos: number } {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.round(ms - seconds * 1000) * 1e6 };
}
