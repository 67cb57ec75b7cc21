import { reservedWords } from './reserved-words.js';
import type { Token } from './tokenizer.js';

export interface SelectItem {
  /** Token range [start, end) of the item, without its separating comma. */
  readonly start: number;
  readonly end: number;
  /** True when BigQuery would name the column `fN_`: an expression with no alias. */
  readonly anonymous: boolean;
}

const listEnd = new Set([
  'FROM',
  'WHERE',
  'GROUP',
  'HAVING',
  'QUALIFY',
  'WINDOW',
  'ORDER',
  'LIMIT',
  'UNION',
  'INTERSECT',
  'EXCEPT',
]);
const modifiers = new Set(['DISTINCT', 'ALL']);
const isSpace = (token: Token): boolean => token.kind === 'space' || token.kind === 'comment';

/**
 * The items of the select list that starts after the `SELECT` at `select`, and where the list
 * ends. Depth-0 commas separate items; a depth-0 clause keyword ends the list.
 */
export function selectItems(
  tokens: readonly Token[],
  select: number,
): { items: SelectItem[]; listStart: number; listEnd: number } {
  let listStart = select + 1;
  while (
    listStart < tokens.length &&
    (isSpace(tokens[listStart]!) || modifiers.has(tokens[listStart]!.text.toUpperCase()))
  )
    listStart++;
  const items: SelectItem[] = [];
  let depth = 0;
  let start = listStart;
  let previous: Token | undefined;
  let j = listStart;
  for (; j < tokens.length; j++) {
    const token = tokens[j]!;
    if (isSpace(token)) continue;
    if (token.text === '(' || token.text === '[') depth++;
    else if (token.text === ')' || token.text === ']') depth--;
    else if (
      depth === 0 &&
      token.kind === 'word' &&
      listEnd.has(token.text.toUpperCase()) &&
      previous?.text !== '*'
    )
      break;
    else if (depth === 0 && token.text === ',') {
      items.push(item(tokens, start, j));
      start = j + 1;
    }
    if (depth < 0) break;
    previous = token;
  }
  items.push(item(tokens, start, j));
  return { items, listStart, listEnd: j };
}

function item(tokens: readonly Token[], start: number, end: number): SelectItem {
  const significant = tokens.slice(start, end).filter((token) => !isSpace(token));
  const last = significant.at(-1);
  const beforeLast = significant.at(-2);
  // `a`, `t.a`, `` `t`.`a` ``: a column keeps its own name.
  const isPath =
    significant.length % 2 === 1 &&
    significant.every((token, index) => (index % 2 === 0 ? isIdentifier(token) : token.text === '.'));
  // `expr AS n` or `expr n`.
  const aliased = isIdentifier(last) && beforeLast !== undefined && beforeLast.text !== '.';
  const star =
    significant[0]?.text === '*' ||
    significant.some((token, index) => token.text === '*' && significant[index - 1]?.text === '.');
  return { start, end, anonymous: !(isPath || aliased || star) };
}

function isIdentifier(token: Token | undefined): boolean {
  return token?.kind === 'quoted' || (token?.kind === 'word' && !reservedWords.has(token.text.toUpperCase()));
}
