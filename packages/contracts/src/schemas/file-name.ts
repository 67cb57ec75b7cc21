/** C0 control characters and DEL: never allowed in names, paths or ids. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const PERCENT_ENCODED = /%[0-9a-fA-F]{2}/;
/**
 * Invisible and bidirectional format characters (Unicode `Cf`: U+202E right-to-left override,
 * U+200E/F marks, U+2066–2069 isolates, zero-width spaces, U+FEFF…), C1 controls and the line/
 * paragraph separators: a name holding them reads differently from what it is (`gpj.exe` shown
 * as `exe.jpg`).
 */
const INVISIBLE_CHARS = /[\p{Cf}\u0080-\u009f\u2028\u2029]/u;
const utf8 = new TextEncoder();

/**
 * Why `name` is not a safe file name in a remote directory, or `undefined` when it is: one path
 * segment of at most 255 bytes in UTF-8 (what file systems limit), no `/`, `\`, `:`, `..`, leading `.`, control characters, invisible
 * or bidirectional format characters or percent-encoded characters (`%2e%2e`, `%2f`), which some servers decode. Never echoes the name.
 */
export function fileNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'expected a non-empty file name';
  if (utf8.encode(name).length > 255) return 'expected at most 255 bytes (UTF-8)';
  if (CONTROL_CHARS.test(name)) return 'expected no control characters';
  if (INVISIBLE_CHARS.test(name)) return 'expected no invisible or bidirectional format characters';
  if (/[/\\:]/.test(name)) return 'expected no "/", "\\" or ":" (one file name, not a path)';
  if (name.includes('..')) return 'expected no ".."';
  if (name.startsWith('.')) return 'expected no leading "."';
  if (PERCENT_ENCODED.test(name)) return 'expected no percent-encoded characters';
  if (name.trim() !== name) return 'expected no leading or trailing whitespace';
  return undefined;
}
