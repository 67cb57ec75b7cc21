/** The statement every injection tries to run: it would drop the canary table. */
export const INJECTION = '`; DROP TABLE bad_input.canary; -- ';

/** One bad config file and the field its refusal must name. */
export interface ConfigCase {
  readonly name: string;
  /** The file's bytes (a string is written as UTF-8). */
  readonly content: string | Buffer;
  /** The JSON path (or word) every refusal names. */
  readonly field: string;
  /** Text in the file that no refusal may repeat. */
  readonly secret?: string;
}

/** A password someone pasted into a config file by mistake. */
export const PASTED_SECRET = 'pasted-Secret-9xQ2';

type Json = Record<string, unknown>;

/**
 * Configs with identifier injection in dataset, table, column and metadata-table names, file
 * name templates that try to leave the directory (`../`, absolute, percent-encoded, NUL, `\`),
 * an SFTP path with `..`, and files that are not UTF-8 or not JSON. `valid` is a working config
 * (the demo's) each case changes in one place.
 */
export function configCases(valid: Json): ConfigCase[] {
  const exports = valid['exports'] as Json[];
  const first = exports[0]!;
  const withExport = (changes: Json): string =>
    JSON.stringify({ ...valid, exports: [{ ...first, ...changes }, ...exports.slice(1)] }, null, 2);
  const [dataset, table] = String(first['source_table']).split('.');
  const columns = first['columns'] as string[];
  const template = (name: string, destination_filename: string): ConfigCase => ({
    name: `a file name template ${name}`,
    content: withExport({ destination_filename }),
    field: 'exports[0].destination_filename',
  });
  return [
    {
      name: 'identifier injection in the dataset name',
      content: withExport({ source_table: `a${INJECTION}.${table}` }),
      field: 'exports[0].source_table',
    },
    {
      name: 'identifier injection in the table name',
      content: withExport({ source_table: `${dataset}.a${INJECTION}` }),
      field: 'exports[0].source_table',
    },
    {
      name: 'identifier injection in a column name',
      content: withExport({ columns: [...columns, `a${INJECTION}`] }),
      field: `exports[0].columns[${columns.length}]`,
    },
    {
      name: 'identifier injection in the timestamp column',
      content: withExport({ timestamp_column: `a${INJECTION}` }),
      field: 'exports[0].timestamp_column',
    },
    {
      name: 'identifier injection in the metadata table',
      content: JSON.stringify({ ...valid, metadata_table: `bad_input.a${INJECTION}` }),
      field: 'metadata_table',
    },
    template('with ../', '../../etc/cron.d/bqx_{datetime}.csv'),
    template('that is absolute', '/etc/bqx_{datetime}.csv'),
    template('percent-encoded (%2e%2e%2f)', '%2e%2e%2fbqx_{datetime}.csv'),
    template('with NUL', 'bqx\u0000_{datetime}.csv'),
    template('with \\ (..\\..\\)', '..\\..\\bqx_{datetime}.csv'),
    {
      name: 'an SFTP path with ..',
      content: JSON.stringify({
        ...valid,
        sftp: { ...(valid['sftp'] as Json), path: '/To_Verite/../../etc' },
      }),
      field: 'sftp.path',
    },
    {
      name: 'a file that is not UTF-8',
      content: Buffer.concat([
        Buffer.from('{"exports": "'),
        Buffer.from([0xff, 0xfe, 0x80]),
        Buffer.from('"}'),
      ]),
      field: 'UTF-8',
    },
    { name: 'a file that is not JSON', content: '{"exports": [', field: 'JSON' },
    {
      name: 'a file that is not JSON, with a pasted password',
      content: `{"sftp": {"password": ${PASTED_SECRET}}}`,
      field: 'malformed JSON',
      secret: PASTED_SECRET,
    },
  ];
}
