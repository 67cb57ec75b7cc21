import { ApiError } from '../http/api-error.js';

export type TokenKind =
  'space' | 'comment' | 'string' | 'bytes' | 'quoted' | 'word' | 'number' | 'param' | 'positional' | 'punct';

export interface Token {
  readonly kind: TokenKind;
  /** The source text. */
  readonly text: string;
  /** Strings: the decoded value; quoted identifiers: the name without backticks; params: the name. */
  readonly value: string;
}

const twoCharPunct = new Set(['<=', '>=', '<>', '!=', '||', '::', '=>', '@@']);
const escapes: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  v: '\v',
  a: '\x07',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '`': '`',
  '?': '?',
};

/** Splits GoogleSQL into tokens, decoding string literals (escapes, raw and triple-quoted forms). */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, value?: string): void => {
    const text = sql.slice(start, i);
    tokens.push({ kind, text, value: value ?? text });
  };
  while (i < sql.length) {
    const start = i;
    const c = sql[i]!;
    const next = sql[i + 1] ?? '';
    if (/\s/.test(c)) {
      while (i < sql.length && /\s/.test(sql[i]!)) i++;
      push('space', start);
    } else if ((c === '-' && next === '-') || c === '#') {
      while (i < sql.length && sql[i] !== '\n') i++;
      push('comment', start);
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) throw new ApiError('invalidQuery', 'Syntax error: unclosed comment');
      i = end + 2;
      push('comment', start);
    } else if (/[rRbB]/.test(c) && /['"]/.test(next)) {
      i++;
      readString(start, /[bB]/.test(c) ? 'bytes' : 'string', /[rR]/.test(c));
    } else if (/[rRbB]/.test(c) && /[rRbB]/.test(next) && /['"]/.test(sql[i + 2] ?? '')) {
      const prefix = sql.slice(i, i + 2).toLowerCase();
      i += 2;
      readString(start, prefix.includes('b') ? 'bytes' : 'string', prefix.includes('r'));
    } else if (c === "'" || c === '"') {
      readString(start, 'string', false);
    } else if (c === '`') {
      const end = sql.indexOf('`', i + 1);
      if (end < 0) throw new ApiError('invalidQuery', 'Syntax error: unclosed identifier quote');
      i = end + 1;
      push('quoted', start, sql.slice(start + 1, end));
    } else if (c === '@' && next !== '@' && /[A-Za-z_]/.test(next)) {
      i++;
      while (i < sql.length && /\w/.test(sql[i]!)) i++;
      push('param', start, sql.slice(start + 1, i));
    } else if (c === '?') {
      i++;
      push('positional', start);
    } else if (/[A-Za-z_]/.test(c)) {
      while (i < sql.length && /\w/.test(sql[i]!)) i++;
      push('word', start);
    } else if (/\d/.test(c) || (c === '.' && /\d/.test(next))) {
      while (i < sql.length && /[\d.]/.test(sql[i]!)) i++;
      if (/[eE]/.test(sql[i] ?? '') && /[\d+-]/.test(sql[i + 1] ?? '')) {
        i += 2;
        while (i < sql.length && /\d/.test(sql[i]!)) i++;
      }
      push('number', start);
    } else {
      i += twoCharPunct.has(c + next) ? 2 : 1;
      push('punct', start);
    }
  }
  return tokens;

  function readString(start: number, kind: 'string' | 'bytes', raw: boolean): void {
    const quote = sql[i]!;
    const triple = sql.startsWith(quote.repeat(3), i);
    const delimiter = triple ? quote.repeat(3) : quote;
    i += delimiter.length;
    let value = '';
    for (;;) {
      if (i >= sql.length) throw new ApiError('invalidQuery', 'Syntax error: unclosed string literal');
      if (sql.startsWith(delimiter, i)) {
        i += delimiter.length;
        break;
      }
      const ch = sql[i]!;
      if (!triple && ch === '\n')
        throw new ApiError('invalidQuery', 'Syntax error: newline in string literal');
      if (ch === '\\' && !raw) {
        const esc = sql[i + 1] ?? '';
        if (esc === 'x' || esc === 'X') {
          value += String.fromCharCode(parseInt(sql.slice(i + 2, i + 4), 16));
          i += 4;
        } else if (esc === 'u' || esc === 'U') {
          const length = esc === 'u' ? 4 : 8;
          value += String.fromCodePoint(parseInt(sql.slice(i + 2, i + 2 + length), 16));
          i += 2 + length;
        } else if (escapes[esc] !== undefined) {
          value += escapes[esc];
          i += 2;
        } else {
          throw new ApiError('invalidQuery', `Syntax error: illegal escape sequence \\${esc}`);
        }
        continue;
      }
      if (ch === '\\' && raw) {
        value += sql.slice(i, i + 2);
        i += 2;
        continue;
      }
      value += ch;
      i++;
    }
    tokens.push({ kind, text: sql.slice(start, i), value });
  }
}
