import { generateCustomerRows, seedTables } from '@bq-sftp-export/local-cloud';
import type { CustomerRow } from '@bq-sftp-export/local-cloud';
import type { DemoStack } from '@bq-sftp-export/demo';

/** The export the matrix runs: the seed's `shopify_customers`, incremental on `last_updated_at`. */
export const MATRIX_EXPORT = 'shopify_customers';
const table = seedTables.shopify;
const INSERT_BATCH = 500;

/** The part of the checkpoint document the checks read. */
export interface CheckpointView {
  readonly committedHigh: string | undefined;
  readonly committedRunId: string | undefined;
  readonly leaseRunId: string | undefined;
}

/**
 * The matrix's source table: the seeded rows plus batches whose `id` is a sequence number
 * (unique, ascending) and whose `last_updated_at` follows the last committed window, so each
 * incremental run takes exactly the batches inserted since the one before.
 */
export class SequencedSource {
  readonly #ids: number[] = [];
  #nextId: number;

  constructor(
    private readonly demo: DemoStack,
    seededRows: number,
  ) {
    // The seed numbers its rows 1…N; the matrix continues well above.
    for (let id = 1; id <= seededRows; id++) this.#ids.push(id);
    this.#nextId = 1_000_001;
  }

  /** Every sequence number inserted so far. */
  ids(): readonly number[] {
    return this.#ids;
  }

  /** Inserts `count` rows stamped just after the committed watermark; returns their sequence numbers. */
  async insert(count: number): Promise<number[]> {
    const { committedHigh } = await this.checkpoint();
    if (committedHigh === undefined) throw new Error(`${MATRIX_EXPORT} has no committed window yet`);
    const after = Date.parse(committedHigh);
    const firstId = this.#nextId;
    this.#nextId += count;
    const rows: CustomerRow[] = generateCustomerRows({
      count,
      seed: firstId,
      sourceType: table.sourceType,
      start: new Date(after),
      idOffset: firstId - 1,
    }).map((row, i) => ({
      ...row,
      // 1 ms apart from the watermark on: inside the next run's window, whatever its start.
      last_updated_at: new Date(after + 1 + i).toISOString().replace(/Z$/, '000Z'),
    }));
    const target = this.demo.clients.bigquery.dataset(table.dataset).table(table.table);
    for (let start = 0; start < rows.length; start += INSERT_BATCH) {
      await target.insert(rows.slice(start, start + INSERT_BATCH));
    }
    const ids = rows.map((row) => Number(row['id']));
    this.#ids.push(...ids);
    return ids;
  }

  /** The export's checkpoint object in the staging bucket (design store 1). */
  async checkpoint(): Promise<CheckpointView> {
    const bucket = this.demo.config.staging.bucket ?? this.demo.env['STAGING_BUCKET'] ?? '';
    const file = this.demo.clients.storage
      .bucket(bucket)
      .file(`checkpoints/${this.demo.config.name}/${MATRIX_EXPORT}.json`);
    const [exists] = await file.exists();
    if (!exists) return { committedHigh: undefined, committedRunId: undefined, leaseRunId: undefined };
    const [content] = await file.download();
    const document = JSON.parse(content.toString('utf8')) as {
      committed: { high: string; runId: string } | null;
      lease: { runId: string } | null;
    };
    return {
      committedHigh: document.committed?.high,
      committedRunId: document.committed?.runId,
      leaseRunId: document.lease?.runId,
    };
  }
}
