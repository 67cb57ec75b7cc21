import { formatPath, type MessageProblem } from '@bq-sftp-export/contracts';
import { visit } from 'jsonc-parser';

import { configInvalidError } from '../resolve/validate-export-config.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** V8's JSON.parse messages quote the text around the error: a config may hold a pasted secret. */
const quotedInput = /, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s;

/**
 * A config file's text as JSON; `CONFIG_INVALID` with the parser's reason and position when it
 * is not, never the text around the error. A key given twice in one object is refused too
 * (`JSON.parse` would silently keep the last), each named by its path.
 */
export function parseConfigJson(text: string, name: string, location: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message.replace(quotedInput, '') : 'not JSON';
    throw configInvalidError(name, [{ path: '', message: `malformed JSON in ${location}: ${reason}` }]);
  }
  const duplicates = duplicateKeyProblems(text, location);
  if (duplicates.length > 0) throw configInvalidError(name, duplicates);
  return value;
}

/**
 * Every key that repeats within its object, in text already known to be JSON. The scanner
 * compares keys after unescaping, as `JSON.parse` does (`"a"` and `"\u0061"` are the same key).
 */
function duplicateKeyProblems(text: string, location: string): MessageProblem[] {
  const open: Set<string>[] = [];
  const problems: MessageProblem[] = [];
  visit(text, {
    onObjectBegin: () => {
      open.push(new Set());
    },
    onObjectEnd: () => {
      open.pop();
    },
    onObjectProperty: (key, _offset, _length, startLine, startCharacter, pathSupplier) => {
      const keys = open.at(-1);
      if (keys === undefined) return;
      if (keys.has(key)) {
        problems.push({
          path: formatPath([...pathSupplier(), key]),
          message: `duplicate key "${key}" in ${location} (line ${startLine + 1}, column ${startCharacter + 1}): give each key once`,
        });
      }
      keys.add(key);
    },
  });
  return problems;
}

/**
 * A config file's bytes as text. Bytes that are not UTF-8 are refused (`CONFIG_INVALID` naming
 * the file) rather than turned into U+FFFD, which would otherwise pass into names and templates.
 */
export function decodeConfigText(bytes: Uint8Array, name: string, location: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw configInvalidError(name, [{ path: '', message: `${location} is not UTF-8 text` }]);
  }
}

/** The largest config file read: far above any real config, low enough that none can exhaust memory. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** `CONFIG_INVALID` naming the file and the limit, for a config larger than `MAX_CONFIG_BYTES`. */
export function configTooLarge(name: string, location: string): Error {
  return configInvalidError(name, [
    { path: '', message: `${location} is larger than the ${MAX_CONFIG_BYTES}-byte limit of a config file` },
  ]);
}
