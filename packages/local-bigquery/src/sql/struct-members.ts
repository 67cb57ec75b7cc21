import { ApiError } from '../http/api-error.js';
import type { Token } from './tokenizer.js';

export interface StructMember {
  /** The field name: `AS name`, a bare column's own name, or `_field_N`. */
  readonly name: string;
  /** The token range [start, end) of the member's expression. */
  readonly start: number;
  readonly end: number;
}

const isSpace = (token: Token): boolean => token.kind === 'space' || token.kind === 'comment';

/** Splits the members of `STRUCT( … )` whose `(` is at `open`; answers them and the `)` index. */
export function structMembers(
  tokens: readonly Token[],
  open: number,
): { members: StructMember[]; close: number } {
  const ranges: { start: number; end: number }[] = [];
  let depth = 0;
  let start = open + 1;
  for (let j = open + 1; j < tokens.length; j++) {
    const text = tokens[j]!.text;
    if (text === '(') depth++;
    else if (text === ')' && depth > 0) depth--;
    else if (text === ')' || (text === ',' && depth === 0)) {
      if (tokens.slice(start, j).some((token) => !isSpace(token))) ranges.push({ start, end: j });
      start = j + 1;
      if (text === ')')
        return { members: ranges.map((range, index) => member(tokens, range, index)), close: j };
    }
  }
  throw new ApiError('invalidQuery', 'Syntax error: unclosed STRUCT(');
}

function member(
  tokens: readonly Token[],
  range: { start: number; end: number },
  index: number,
): StructMember {
  const significant: number[] = [];
  for (let j = range.start; j < range.end; j++) if (!isSpace(tokens[j]!)) significant.push(j);
  const last = tokens[significant.at(-1)!]!;
  const beforeLast = significant.at(-2);
  if (beforeLast !== undefined && tokens[beforeLast]!.text.toUpperCase() === 'AS') {
    return { name: last.value, start: range.start, end: beforeLast };
  }
  const bareColumn = significant.length === 1 && (last.kind === 'word' || last.kind === 'quoted');
  return { name: bareColumn ? last.value : `_field_${index + 1}`, start: range.start, end: range.end };
}
