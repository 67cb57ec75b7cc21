import { DomainError } from '@bq-sftp-export/export-domain';
import { isNumericType, type ColumnSchema, type ExportRow } from './column-schema.js';
import { resolveCsvDialect, type CsvDialect } from './csv-dialect.js';
import { createValueRenderer, type ValueRenderer } from './value-text.js';

/** First characters a spreadsheet may read as a formula (ASCII and full-width forms). */
const formulaStart = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** Characters that can occur in the text of a non-text type (numbers, dates, base64, `nan`/`inf`). */
const nonTextAlphabet = /[A-Za-z0-9.\-: +/=]/;

interface CompiledColumn {
  readonly name: string;
  readonly render: ValueRenderer;
  readonly forceQuote: boolean;
  readonly guard: boolean;
  /** The rendered text can never hold the delimiter, a quote or a line break: skip the scan. */
  readonly plain: boolean;
}

/**
 * Encodes rows as CSV text in a partner dialect, one row per call, without I/O: the stream
 * wrapper batches the text into chunks. Values are rendered the way BigQuery's CSV export
 * renders them (`createValueRenderer`), then guarded, quoted and escaped per RFC 4180.
 */
export class CsvRowEncoder {
  readonly dialect: CsvDialect;
  private readonly columns: readonly CompiledColumn[];
  private readonly needsQuote: RegExp;
  private readonly delimiter: string;
  private readonly eol: string;
  private readonly nullToken: string;
  private readonly policyNone: boolean;

  constructor(columns: readonly ColumnSchema[], dialect: Partial<CsvDialect> = {}) {
    this.dialect = resolveCsvDialect(dialect);
    const { quote, formula_guard, timestamp_format, time_zone } = this.dialect;
    const options = { timestampFormat: timestamp_format, timeZone: time_zone };
    this.columns = columns.map((column) => ({
      name: column.name,
      render: createValueRenderer(column.type, options),
      forceQuote: quote === 'all' || (quote === 'nonnumeric' && !isNumericType(column.type)),
      guard: formula_guard && column.type === 'STRING',
      plain: !isTextType(column.type) && !nonTextAlphabet.test(this.dialect.delimiter),
    }));
    this.delimiter = this.dialect.delimiter;
    this.eol = this.dialect.line_terminator;
    this.nullToken = this.dialect.null_token;
    this.policyNone = quote === 'none';
    this.needsQuote = new RegExp(`["\\r\\n${this.delimiter.replace(/[\\\]^-]/g, '\\$&')}]`);
  }

  /** The byte order mark (if any) and the header row (if any), to write before the first row. */
  preamble(): string {
    const bom = this.dialect.bom ? '\uFEFF' : '';
    if (!this.dialect.header) return bom;
    const forceAll = this.dialect.quote === 'all' || this.dialect.quote === 'nonnumeric';
    return (
      bom + this.columns.map((c) => this.field(c.name, forceAll, c.name)).join(this.delimiter) + this.eol
    );
  }

  /** One row, with its line terminator. `row` is keyed by column name (as the SDK yields rows). */
  encodeRow(row: ExportRow): string {
    const columns = this.columns;
    let line = '';
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i]!;
      const text = column.render(row[column.name]);
      if (i > 0) line += this.delimiter;
      if (text === null) {
        line += this.nullToken;
      } else {
        const guarded = column.guard && formulaStart.test(text) ? `'${text}` : text;
        line += column.plain
          ? this.plainField(guarded, column.forceQuote)
          : this.field(guarded, column.forceQuote, column.name);
      }
    }
    return line + this.eol;
  }

  private plainField(text: string, forceQuote: boolean): string {
    return (forceQuote && !this.policyNone) || (text === this.nullToken && !this.policyNone)
      ? `"${text}"`
      : text;
  }

  private field(text: string, forceQuote: boolean, column: string): string {
    const special = this.needsQuote.test(text);
    if (this.policyNone) {
      if (special) {
        throw new DomainError(
          'CSV_VALUE_UNREPRESENTABLE',
          `a value of column ${column} contains the delimiter, a quote or a line break, which quote policy "none" cannot write`,
          'quote',
        );
      }
      return text;
    }
    if (special) return `"${text.includes('"') ? text.replaceAll('"', '""') : text}"`;
    return forceQuote || text === this.nullToken ? `"${text}"` : text;
  }
}

function isTextType(type: ColumnSchema['type']): boolean {
  return type === 'STRING' || type === 'JSON' || type === 'GEOGRAPHY';
}
