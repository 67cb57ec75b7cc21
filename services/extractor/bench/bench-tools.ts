/** `count` rows cycling through `rows` (distinct data without holding `count` objects). */
export function* cycle<T>(rows: readonly T[], count: number): Generator<T> {
  for (let i = 0; i < count; i++) yield rows[i % rows.length]!;
}

export function argNumber(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg === undefined ? fallback : Number(arg.slice(name.length + 3));
}
