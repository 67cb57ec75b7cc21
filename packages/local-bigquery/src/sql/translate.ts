import { ApiError } from '../http/api-error.js';
import { quoteIdent } from '../schema/type-mapping.js';
import { quoteString } from '../values/sql-literal.js';
import { functionRenames, niladicFunctions } from './googlesql-functions.js';
import { classifyStatement, trimStatement, unsupported } from './statement-type.js';
import { selectItems } from './select-list.js';
import { structMembers } from './struct-members.js';
import { tokenize } from './tokenizer.js';
import type { Token } from './tokenizer.js';
import { reservedWords, tablePositionWords } from './reserved-words.js';
import { isTypeName, parseType, skipSpace } from './type-names.js';
import type {
  SnapshotClause,
  StatementType,
  TableRef,
  TranslateOptions,
  Translation,
} from './translation.js';

const typedLiteralWords = new Set(['DATE', 'DATETIME', 'TIME', 'TIMESTAMP', 'NUMERIC', 'BIGNUMERIC', 'JSON']);
const impliedWords: Readonly<Record<string, string>> = { INSERT: 'INTO', MERGE: 'INTO', DELETE: 'FROM' };
const ddlClauseWords = new Set(['PARTITION', 'CLUSTER', 'OPTIONS']);

/**
 * Translates one GoogleSQL statement of the shapes this project emits into DuckDB SQL. It
 * rewrites only what it knows (see README, "SQL dialect") and refuses what it cannot run
 * faithfully; everything else is passed on and DuckDB's own errors become `invalidQuery`.
 */
export function translate(sql: string, options: TranslateOptions): Translation {
  return new Translator(tokenize(sql), options).run();
}

/** Table markers in the output: private-use characters, which no SQL keyword or name uses. */
const TABLE_MARK_OPEN = '\uE000';
const TABLE_MARK_CLOSE = '\uE001';
const TABLE_MARK = /\uE000(\d+)\uE001/g;

function quotedName(parts: readonly { readonly name: string; readonly quoted: boolean }[]): string {
  return parts.map((part) => (part.quoted ? quoteIdent(part.name) : part.name)).join('.');
}

class Translator {
  private i = 0;
  private out: string[] = [];
  /** The text of each table reference, by the number its marker in `out` carries. */
  private readonly tableTexts: string[] = [];
  private readonly parens: { opener: string; columnList: boolean; closeSuffix: string }[] = [];
  /** Set right after `UNNEST(…)` closes, so its alias can name the element column. */
  private afterUnnest = false;
  private unnestCount = 0;
  private readonly tables: TableRef[] = [];
  private readonly snapshots: SnapshotClause[] = [];
  /** The output part of the last table reference emitted. */
  private lastTablePart = -1;
  private readonly cteNames = new Set<string>();
  private positional = 0;
  private statementType: StatementType = 'SELECT';
  private lastSignificant: Token | undefined;
  private lastTable: TableRef | undefined;
  private createBodyStarted = false;
  private selectListNamed = false;
  /** In ALTER TABLE, after `ADD COLUMN [IF NOT EXISTS]`: the next name is followed by a type. */
  private columnTypeDue = false;
  private columnListOpened = false;

  constructor(
    private readonly tokens: Token[],
    private readonly options: TranslateOptions,
  ) {}

  run(): Translation {
    trimStatement(this.tokens);
    this.statementType = classifyStatement(this.tokens);
    this.collectCteNames();
    while (this.i < this.tokens.length) this.step();
    if (this.parens.length > 0) throw new ApiError('invalidQuery', 'Syntax error: unbalanced parentheses');
    const isCtas = this.statementType === 'CREATE_TABLE' && this.createBodyStarted;
    return {
      sql: this.resolveTables(new Map()),
      statementType: isCtas ? 'CREATE_TABLE_AS_SELECT' : this.statementType,
      tables: this.tables,
      snapshots: this.snapshots,
      sqlWith: (replacements) => this.resolveTables(replacements),
    };
  }

  /** The output with every table marker replaced by its text, or by its replacement if given. */
  private resolveTables(replacements: ReadonlyMap<number, string>): string {
    return this.out
      .join('')
      .replace(
        TABLE_MARK,
        (_, index: string) => replacements.get(Number(index)) ?? this.tableTexts[Number(index)]!,
      );
  }

  /** Names defined as `name AS (` — common table expressions, never dataset tables. */
  private collectCteNames(): void {
    const significant = this.tokens.filter((token) => token.kind !== 'space' && token.kind !== 'comment');
    significant.forEach((token, index) => {
      if (
        (token.kind === 'word' || token.kind === 'quoted') &&
        significant[index + 1]?.text.toUpperCase() === 'AS' &&
        significant[index + 2]?.text === '('
      ) {
        this.cteNames.add(token.value.toLowerCase());
      }
    });
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[skipSpace(this.tokens, this.i + offset)];
  }

  private nextSignificantIndex(from: number): number {
    return skipSpace(this.tokens, from);
  }

  private emit(text: string, token?: Token): void {
    this.out.push(text);
    if (token !== undefined) this.lastSignificant = token;
  }

  private step(): void {
    const token = this.tokens[this.i]!;
    if (this.afterUnnest && token.kind !== 'space' && token.kind !== 'comment') {
      const upper = token.text.toUpperCase();
      if (upper === 'WITH' && this.peek(1)?.text.toUpperCase() === 'OFFSET')
        throw unsupported('UNNEST … WITH OFFSET');
      if (upper !== 'AS') {
        this.afterUnnest = false;
        if ((token.kind === 'word' && !reservedWords.has(upper)) || token.kind === 'quoted') {
          // GoogleSQL: `UNNEST(a) AS x` names the element; DuckDB needs a column alias for that.
          const alias = quoteIdent(token.value);
          this.emit(`${quoteIdent(`_unnest_${++this.unnestCount}`)}(${alias})`, token);
          this.i++;
          if (
            this.peek()?.text.toUpperCase() === 'WITH' &&
            this.tokens[
              this.nextSignificantIndex(this.nextSignificantIndex(this.i) + 1)
            ]?.text.toUpperCase() === 'OFFSET'
          ) {
            throw unsupported('UNNEST … WITH OFFSET');
          }
          return;
        }
      }
    }
    switch (token.kind) {
      case 'space':
        this.out.push(token.text);
        this.i++;
        return;
      case 'comment':
        this.out.push(' ');
        this.i++;
        return;
      case 'string':
        this.emit(quoteString(token.value), token);
        this.i++;
        return;
      case 'bytes':
        this.emit(
          `from_base64(${quoteString(Buffer.from(token.value, 'latin1').toString('base64'))})`,
          token,
        );
        this.i++;
        return;
      case 'param':
        this.emit(`(${this.namedParameter(token.value)})`, token);
        this.i++;
        return;
      case 'positional':
        this.emit(`(${this.positionalParameter()})`, token);
        this.i++;
        return;
      case 'number':
        this.emit(token.text, token);
        this.i++;
        return;
      case 'punct':
        this.punct(token);
        return;
      default:
        this.wordOrIdentifier(token);
    }
  }

  private namedParameter(name: string): string {
    const literal = this.options.namedParameters.get(name.toLowerCase());
    if (literal === undefined) throw new ApiError('invalidQuery', `Query parameter '${name}' not found`);
    return literal;
  }

  private positionalParameter(): string {
    const literal = this.options.positionalParameters[this.positional];
    this.positional++;
    if (literal === undefined)
      throw new ApiError('invalidQuery', `No value for positional parameter ${this.positional}`);
    return literal;
  }

  private punct(token: Token): void {
    if (token.text === '::') throw unsupported('the "::" cast (use CAST)');
    if (token.text === '@@') throw unsupported('system variables (@@…)');
    let text = token.text;
    if (token.text === '(') {
      const opener = this.lastSignificant?.kind === 'word' ? this.lastSignificant.text.toUpperCase() : '';
      const columnList =
        this.statementType === 'CREATE_TABLE' &&
        this.parens.length === 0 &&
        !this.columnListOpened &&
        !this.createBodyStarted;
      if (columnList) this.columnListOpened = true;
      this.parens.push({ opener, columnList, closeSuffix: '' });
    } else if (token.text === ')') {
      const closed = this.parens.pop();
      if (closed === undefined) throw new ApiError('invalidQuery', 'Syntax error: unbalanced parentheses');
      text = `)${closed.closeSuffix}`;
      this.emit(text, token);
      this.i++;
      this.afterUnnest = closed.opener === 'UNNEST' && closed.closeSuffix === '';
      return;
    }
    this.emit(text, token);
    this.i++;
  }

  private wordOrIdentifier(token: Token): void {
    const upper = token.kind === 'word' ? token.text.toUpperCase() : '';
    const next = this.tokens[this.nextSignificantIndex(this.i + 1)];
    const inner = this.parens.at(-1);

    if (token.kind === 'word') {
      if (this.isCreateStatement() && this.parens.length === 0 && !this.createBodyStarted) {
        if (upper === 'AS') this.createBodyStarted = true;
        if (ddlClauseWords.has(upper)) return this.skipDdlClause();
      }
      if (inner?.columnList === true && this.parens.length === 1 && upper === 'OPTIONS')
        return this.skipDdlClause();
      if (typedLiteralWords.has(upper) && next?.kind === 'string') {
        const parsed = parseType(this.tokens, this.i);
        this.emit(`CAST(${quoteString(next.value)} AS ${parsed.duckDb})`, next);
        this.i = this.nextSignificantIndex(this.i + 1) + 1;
        return;
      }
      if (
        isTypeName(upper) &&
        this.lastSignificant?.text.toUpperCase() === 'AS' &&
        (inner?.opener === 'CAST' || inner?.opener === 'SAFE_CAST')
      ) {
        return this.emitType();
      }
      if (upper === 'EXCEPT' && this.lastSignificant?.text === '*') {
        this.emit('EXCLUDE', token);
        this.i++;
        return;
      }
      // GoogleSQL may omit INTO after INSERT and MERGE and FROM after DELETE; DuckDB may not.
      const implied = impliedWords[upper];
      if (
        implied !== undefined &&
        this.lastSignificant === undefined &&
        next?.text.toUpperCase() !== implied
      ) {
        this.emit(`${token.text} ${implied}`, { ...token, text: implied });
        this.i++;
        return;
      }
      if (
        upper === 'SELECT' &&
        this.statementType === 'SELECT' &&
        this.parens.length === 0 &&
        !this.selectListNamed
      ) {
        return this.namedSelectList(token);
      }
      if (upper === 'FOR' && this.isSystemTime()) return this.snapshot();
      if (upper === 'IN' && next?.text.toUpperCase() === 'UNNEST') return this.inUnnest(token);
      if (upper === 'STRUCT' && next?.text === '(') return this.structConstructor();
      if (upper === 'STRUCT' && next?.text === '<')
        throw unsupported('typed STRUCT<…>(…) constructors (use STRUCT(x AS name, …))');
      if (next?.text === '(' && functionRenames[upper] !== undefined) {
        this.emit(functionRenames[upper], token);
        this.i++;
        return;
      }
      if (niladicFunctions[upper] !== undefined && next?.text === '(') {
        const close = this.nextSignificantIndex(this.nextSignificantIndex(this.i + 1) + 1);
        if (this.tokens[close]?.text !== ')') throw unsupported(`${upper} with arguments`);
        this.emit(niladicFunctions[upper], token);
        this.i = close + 1;
        return;
      }
    }
    if (
      this.statementType === 'ALTER_TABLE' &&
      token.kind === 'word' &&
      upper === 'COLUMN' &&
      this.lastSignificant?.text.toUpperCase() === 'ADD'
    ) {
      this.columnTypeDue = true;
    } else if (this.columnTypeDue && !['IF', 'NOT', 'EXISTS'].includes(upper)) {
      this.columnTypeDue = false;
      this.emit(token.kind === 'quoted' ? quoteIdent(token.value) : token.text, token);
      this.i++;
      return this.emitType();
    }
    if (
      inner?.columnList === true &&
      this.parens.length === 1 &&
      (this.lastSignificant?.text === '(' || this.lastSignificant?.text === ',')
    ) {
      // A column definition: name, then a GoogleSQL type.
      this.emit(token.kind === 'quoted' ? quoteIdent(token.value) : token.text, token);
      this.i++;
      return this.emitType();
    }
    this.identifierChain();
  }

  /**
   * The query's own select list (the first SELECT outside parentheses): an expression without
   * an alias gets BigQuery's name `f0_`, `f1_`, … (counting such expressions only) instead of
   * DuckDB's spelling of the expression.
   */
  private namedSelectList(token: Token): void {
    this.selectListNamed = true;
    const { items, listStart, listEnd } = selectItems(this.tokens, this.i);
    this.emit(
      this.tokens
        .slice(this.i, listStart)
        .map((part) => (part.kind === 'comment' ? ' ' : part.text))
        .join(''),
      token,
    );
    let anonymous = 0;
    const parts = items.map((item) => {
      const text = this.translateRange(item.start, item.end);
      return item.anonymous
        ? `${text.trimEnd()} AS ${quoteIdent(`f${anonymous++}_`)}${/\s$/.test(text) ? ' ' : ''}`
        : text;
    });
    this.out.push(parts.join(','));
    this.i = listEnd;
  }

  /** `x IN UNNEST(list)` → `x IN (SELECT UNNEST(list))`. */
  private inUnnest(token: Token): void {
    const unnest = this.nextSignificantIndex(this.i + 1);
    const open = this.nextSignificantIndex(unnest + 1);
    if (this.tokens[open]?.text !== '(')
      throw new ApiError('invalidQuery', 'Syntax error: UNNEST needs parentheses');
    this.emit('IN (SELECT UNNEST(', token);
    this.parens.push({ opener: 'UNNEST', columnList: false, closeSuffix: ')' });
    this.lastSignificant = this.tokens[open];
    this.i = open + 1;
  }

  /** `STRUCT(a AS x, b)` → `struct_pack(x := a, b := b)`. */
  private structConstructor(): void {
    const open = this.nextSignificantIndex(this.i + 1);
    const { members, close } = structMembers(this.tokens, open);
    const packed = members.map(
      (member) => `${quoteIdent(member.name)} := ${this.translateRange(member.start, member.end).trim()}`,
    );
    this.i = close + 1;
    this.emit(`struct_pack(${packed.join(', ')})`, this.tokens[close]);
  }

  /** Translates tokens [start, end) on their own, sharing parameters and table references. */
  private translateRange(start: number, end: number): string {
    const saved = this.out;
    this.out = [];
    this.i = start;
    while (this.i < end) this.step();
    const text = this.out.join('');
    this.out = saved;
    return text;
  }

  private isCreateStatement(): boolean {
    return this.statementType === 'CREATE_TABLE' || this.statementType === 'CREATE_VIEW';
  }

  private emitType(): void {
    const parsed = parseType(this.tokens, this.i);
    const leading = this.tokens[this.i]?.kind === 'space' ? ' ' : '';
    this.emit(`${leading}${parsed.duckDb}`, this.tokens[parsed.next - 1]);
    this.i = parsed.next;
  }

  /** Skips `PARTITION BY …`, `CLUSTER BY …` or `OPTIONS(…)`: storage hints with no meaning here. */
  private skipDdlClause(): void {
    let depth = 0;
    this.i++;
    while (this.i < this.tokens.length) {
      const token = this.tokens[this.i]!;
      if (token.text === '(') depth++;
      if (token.text === ')') {
        if (depth === 0) return;
        depth--;
      }
      if (
        depth === 0 &&
        token.kind === 'word' &&
        ['PARTITION', 'CLUSTER', 'OPTIONS', 'AS'].includes(token.text.toUpperCase())
      ) {
        if (
          token.text.toUpperCase() !== 'OPTIONS' ||
          this.tokens[this.nextSignificantIndex(this.i + 1)]?.text === '('
        )
          return;
      }
      if (depth === 0 && token.text === ',' && this.parens.length > 0) return;
      this.i++;
    }
  }

  private isSystemTime(): boolean {
    const words: string[] = [];
    let j = this.i + 1;
    while (words.length < 4) {
      j = this.nextSignificantIndex(j);
      const token = this.tokens[j];
      if (token?.kind !== 'word') break;
      words.push(token.text.toUpperCase());
      j++;
    }
    return words.join(' ').startsWith('SYSTEM_TIME AS OF') || words.join(' ') === 'SYSTEM TIME AS OF';
  }

  /** `FOR SYSTEM_TIME AS OF <param | typed literal | function call>`: recorded, then removed. */
  private snapshot(): void {
    const table = this.lastTable;
    if (table === undefined) throw unsupported('FOR SYSTEM_TIME AS OF outside a table reference');
    const clauseWords =
      this.tokens[this.nextSignificantIndex(this.i + 1)]?.text.toUpperCase() === 'SYSTEM' ? 5 : 4;
    let words = 0;
    while (words < clauseWords) {
      if (this.tokens[this.i]!.kind === 'word') words++;
      this.i++;
    }
    this.i = this.nextSignificantIndex(this.i);
    const start = this.out.length;
    const first = this.tokens[this.i];
    if (first === undefined)
      throw new ApiError('invalidQuery', 'Syntax error: FOR SYSTEM_TIME AS OF needs a timestamp');
    this.step();
    const open = this.nextSignificantIndex(this.i);
    if (first.kind === 'word' && this.tokens[open]?.text === '(') {
      const depth = this.parens.length;
      this.i = open;
      this.step();
      while (this.i < this.tokens.length && this.parens.length > depth) this.step();
    }
    const at = this.out.splice(start).join('');
    // A clause inside a nested range (a struct member) has no part of the statement's output.
    this.snapshots.push({ table, at, part: this.lastTablePart });
  }

  private identifierChain(): void {
    const parts: { name: string; quoted: boolean }[] = [];
    const first = this.tokens[this.i]!;
    for (;;) {
      const token = this.tokens[this.i]!;
      if (token.kind === 'quoted') {
        for (const name of token.value.split('.')) parts.push({ name, quoted: true });
      } else {
        parts.push({ name: token.text, quoted: false });
      }
      this.i++;
      const dot = this.tokens[this.i];
      const after = this.tokens[this.i + 1];
      if (dot?.text === '.' && (after?.kind === 'word' || after?.kind === 'quoted')) {
        this.i++;
        continue;
      }
      break;
    }
    if (parts.length >= 3 && parts[0]!.name === this.options.projectId) parts.shift();
    const previous = this.lastSignificant?.text.toUpperCase() ?? '';
    const isKeyword =
      parts.length === 1 && !parts[0]!.quoted && reservedWords.has(parts[0]!.name.toUpperCase());
    const inExtract = this.parens.at(-1)?.opener === 'EXTRACT';
    const isTablePosition =
      !isKeyword &&
      !inExtract &&
      (tablePositionWords.has(previous) || (previous === 'EXISTS' && this.statementType !== 'SELECT'));
    if (isTablePosition && this.statementType !== 'CREATE_SCHEMA' && this.statementType !== 'DROP_SCHEMA') {
      if (parts.length === 1 && !this.cteNames.has(parts[0]!.name.toLowerCase())) {
        if (this.options.defaultDataset === undefined) {
          throw new ApiError(
            'invalidQuery',
            `Table "${parts[0]!.name}" must be qualified with a dataset (e.g. \`dataset.table\`).`,
          );
        }
        parts.unshift({ name: this.options.defaultDataset, quoted: true });
      }
      if (parts.length > 2) throw new ApiError('notFound', `Not found: Project ${parts[0]!.name}`);
      if (parts.length === 2) {
        this.lastTable = { dataset: parts[0]!.name, table: parts[1]!.name };
        this.tables.push(this.lastTable);
        // A marker, resolved when the statement is done, so a snapshot clause can swap the table.
        this.lastTablePart = this.tableTexts.push(quotedName(parts)) - 1;
        this.emit(`${TABLE_MARK_OPEN}${this.lastTablePart}${TABLE_MARK_CLOSE}`, first);
        return;
      }
    }
    this.emit(quotedName(parts), first);
  }
}
