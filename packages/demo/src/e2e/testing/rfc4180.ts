/**
 * A deliberately tiny RFC 4180 writer and record splitter for the end-to-end tests, written
 * from the RFC and the config's documented defaults (comma, minimal quoting, header, NULL as
 * empty, `\n` line endings) — independent of the extractor's encoder, so a bug there shows.
 */
export type CsvValue = string | number | null;

function field(value: CsvValue): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, with its line ending. */
export function csvRecord(values: readonly CsvValue[]): string {
  return `${values.map(field).join(',')}\n`;
}

/** Header and records. */
export function renderCsv(
  columns: readonly string[],
  rows: readonly Readonly<Record<string, CsvValue>>[],
): string {
  return (
    csvRecord(columns) + rows.map((row) => csvRecord(columns.map((column) => row[column] ?? null))).join('')
  );
}

/** Splits a file into its records (each with its line ending), honouring quoted line breaks. */
export function splitRecords(text: string): string[] {
  const records: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (char === '\n' && !quoted) {
      records.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) records.push(text.slice(start));
  return records;
}
