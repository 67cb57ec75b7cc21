/** Reads `--name=value` arguments. */
export function argValue(args: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return args.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

export function argNumber(args: readonly string[], name: string): number {
  const value = Number(argValue(args, name));
  if (!Number.isFinite(value)) throw new Error(`worker argument --${name}=<number> is required`);
  return value;
}

export function argString(args: readonly string[], name: string): string {
  const value = argValue(args, name);
  if (value === undefined) throw new Error(`worker argument --${name}=<value> is required`);
  return value;
}
