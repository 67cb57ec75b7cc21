/** The trimmed value of `name`, or `undefined` when unset or empty (empty counts as unset). */
export function environmentValue(
  environment: Readonly<Record<string, string | undefined>>,
  name: string,
): string | undefined {
  const text = environment[name]?.trim();
  return text === undefined || text === '' ? undefined : text;
}
