import type { BigQuery } from '@google-cloud/bigquery';

import { generateCustomerRows } from '../seed/customer-rows.js';
import { customerTableSchema } from '../seed/customer-table.js';

export interface SeedTableOptions {
  readonly dataset: string;
  readonly table: string;
  readonly sourceType: string;
  readonly count: number;
  readonly seed: number;
  readonly idOffset: number;
}

export interface SeededTable {
  /** `dataset.table` */
  readonly table: string;
  /** False when the table existed already and was left alone. */
  readonly created: boolean;
  /** Rows in the table afterwards. */
  readonly rows: number;
}

const BATCH = 500;
/** The generated timeline starts here, so the first incremental run exports every row. */
const START = new Date('2026-01-05T08:00:00Z');

async function ensureDataset(bigquery: BigQuery, dataset: string): Promise<void> {
  try {
    await bigquery.createDataset(dataset);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 409) throw error;
  }
}

async function countRows(bigquery: BigQuery, table: string): Promise<number> {
  const [rows] = await bigquery.query({ query: `SELECT COUNT(*) AS n FROM \`${table}\`` });
  return Number((rows as { n: number | string }[])[0]?.n ?? 0);
}

/**
 * Creates one customer table with the seed's schema and fills it with generated rows through
 * `tabledata.insertAll`. A table that already exists is left as it is.
 */
export async function seedCustomerTable(bigquery: BigQuery, options: SeedTableOptions): Promise<SeededTable> {
  const name = `${options.dataset}.${options.table}`;
  await ensureDataset(bigquery, options.dataset);
  const table = bigquery.dataset(options.dataset).table(options.table);
  const [exists] = await table.exists();
  if (exists) return { table: name, created: false, rows: await countRows(bigquery, name) };
  await table.create({ schema: { fields: customerTableSchema.map((field) => ({ ...field })) } });
  const rows = generateCustomerRows({
    count: options.count,
    seed: options.seed,
    sourceType: options.sourceType,
    start: START,
    idOffset: options.idOffset,
  });
  for (let offset = 0; offset < rows.length; offset += BATCH) {
    await table.insert(rows.slice(offset, offset + BATCH));
  }
  return { table: name, created: true, rows: await countRows(bigquery, name) };
}
