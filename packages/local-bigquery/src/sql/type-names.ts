import { ApiError } from '../http/api-error.js';
import { canonicalType } from '../schema/table-field.js';
import { duckDbTypeOf } from '../values/sql-literal.js';
import { quoteIdent } from '../schema/type-mapping.js';
import type { Token } from './tokenizer.js';

export interface ParsedType {
  /** The DuckDB spelling of the type. */
  readonly duckDb: string;
  /** Index of the first token after the type. */
  readonly next: number;
}

/** True when the word names a GoogleSQL type (scalar, ARRAY or STRUCT). */
export function isTypeName(word: string): boolean {
  const upper = word.toUpperCase();
  return (
    upper === 'ARRAY' || upper === 'STRUCT' || (upper !== 'RECORD' && canonicalType(upper) !== undefined)
  );
}

/**
 * Reads a GoogleSQL type starting at `index` (spaces skipped): `INT64`, `NUMERIC(10, 2)`,
 * `ARRAY<STRING>`, `STRUCT<a INT64, b ARRAY<DATE>>`; answers its DuckDB spelling.
 */
export function parseType(tokens: readonly Token[], index: number): ParsedType {
  let i = skipSpace(tokens, index);
  const head = tokens[i];
  if (head?.kind !== 'word' || !isTypeName(head.text)) {
    throw new ApiError(
      'invalidQuery',
      `Syntax error: expected a type name at "${head?.text ?? 'end of query'}"`,
    );
  }
  const upper = head.text.toUpperCase();
  i++;
  if (upper === 'ARRAY') {
    i = expect(tokens, i, '<');
    const element = parseType(tokens, i);
    i = expect(tokens, element.next, '>');
    return { duckDb: `${element.duckDb}[]`, next: i };
  }
  if (upper === 'STRUCT') {
    i = expect(tokens, i, '<');
    const members: string[] = [];
    for (;;) {
      i = skipSpace(tokens, i);
      const name = tokens[i];
      if (name === undefined || (name.kind !== 'word' && name.kind !== 'quoted')) {
        throw new ApiError('invalidQuery', 'Syntax error: STRUCT members need a name and a type');
      }
      const member = parseType(tokens, i + 1);
      members.push(`${quoteIdent(name.value)} ${member.duckDb}`);
      i = skipSpace(tokens, member.next);
      if (tokens[i]?.text === ',') {
        i++;
        continue;
      }
      i = expect(tokens, i, '>');
      break;
    }
    return { duckDb: `STRUCT(${members.join(', ')})`, next: i };
  }
  // Parameterised types (STRING(10), NUMERIC(10, 2)) keep their base type here.
  const after = skipSpace(tokens, i);
  if (tokens[after]?.text === '(') {
    const close = tokens.findIndex((token, position) => position > after && token.text === ')');
    if (close < 0) throw new ApiError('invalidQuery', 'Syntax error: unclosed type parameters');
    i = close + 1;
  }
  return { duckDb: duckDbTypeOf({ type: upper }), next: i };
}

export function skipSpace(tokens: readonly Token[], index: number): number {
  let i = index;
  while (tokens[i]?.kind === 'space' || tokens[i]?.kind === 'comment') i++;
  return i;
}

function expect(tokens: readonly Token[], index: number, text: string): number {
  const i = skipSpace(tokens, index);
  if (tokens[i]?.text !== text) {
    throw new ApiError(
      'invalidQuery',
      `Syntax error: expected "${text}" but got "${tokens[i]?.text ?? 'end of query'}"`,
    );
  }
  return i + 1;
}
