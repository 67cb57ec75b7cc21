import { ApiError } from '../http/api-error.js';
import type { Token } from './tokenizer.js';
import type { StatementType } from './translation.js';

export function unsupported(what: string): ApiError {
  return new ApiError('invalidQuery', `Unsupported by the local BigQuery emulator: ${what}`);
}

const isSpace = (token: Token): boolean => token.kind === 'space' || token.kind === 'comment';

/** Drops trailing semicolons, spaces and comments; refuses empty queries and scripts. */
export function trimStatement(tokens: Token[]): void {
  let end = tokens.length;
  while (end > 0 && (isSpace(tokens[end - 1]!) || tokens[end - 1]!.text === ';')) end--;
  tokens.length = end;
  if (tokens.some((token) => token.text === ';')) throw unsupported('multi-statement scripts');
  if (end === 0) throw new ApiError('invalidQuery', 'Syntax error: empty query');
}

/** The statement's BigQuery type; statements outside the emulated set are refused here. */
export function classifyStatement(tokens: readonly Token[]): StatementType {
  const leading = tokens
    .filter((token) => !isSpace(token))
    .slice(0, 6)
    .map((token) => token.text.toUpperCase());
  if (leading.includes('MATERIALIZED')) throw unsupported('materialized views');
  const [first, second] = leading.filter((word) => !['OR', 'REPLACE', 'TEMP', 'TEMPORARY'].includes(word));
  if (first === 'SELECT' || first === 'WITH' || first === '(') return 'SELECT';
  if (first === 'INSERT' || first === 'UPDATE' || first === 'DELETE' || first === 'MERGE') return first;
  const twoWords: Record<string, StatementType> = {
    'CREATE TABLE': 'CREATE_TABLE',
    'CREATE VIEW': 'CREATE_VIEW',
    'CREATE SCHEMA': 'CREATE_SCHEMA',
    'DROP TABLE': 'DROP_TABLE',
    'DROP VIEW': 'DROP_VIEW',
    'DROP SCHEMA': 'DROP_SCHEMA',
    'TRUNCATE TABLE': 'TRUNCATE_TABLE',
    'ALTER TABLE': 'ALTER_TABLE',
  };
  const type = twoWords[`${first ?? ''} ${second ?? ''}`];
  if (type === undefined)
    throw unsupported(`statements starting with ${[first, second].filter(Boolean).join(' ')}`);
  return type;
}
