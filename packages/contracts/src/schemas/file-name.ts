/** C0 control characters and DEL: never allowed in names, paths or ids. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const PERCENT_ENCODED = /%[0-9a-fA-F]{2}/;

/**
 * Why `name` is not a safe file name in a remote directory, or `undefined` when it is: one path
 * segment of at most 255 characters, no `/`, `\`, `:`, `..`, leading `.`, control characters or
 * percent-encoded characters (`%2e%2e`, `%2f`), which some servers decode. Never echoes the name.
 */
export function fileNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'expected a non-empty file name';
  if (name.length > 255) return 'expected at most 255 characters';
  if (CONTROL_CHARS.test(name)) return 'expected no control characters';
  if (/[/\\:]/.test(name)) return 'expected no "/", "\\" or ":" (one file name, not a path)';
  if (name.includes('..')) return 'expected no ".."';
  if (name.startsWith('.')) return 'expected no leading "."';
  if (PERCENT_ENCODED.test(name)) return 'expected no percent-encoded characters';
  if (name.trim() !== name) return 'expected no leading or trailing whitespace';
  return undefined;
}
