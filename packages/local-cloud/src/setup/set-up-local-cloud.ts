import type { BigQuery } from '@google-cloud/bigquery';
import type { Storage } from '@google-cloud/storage';

import type { EnsureTopologyOptions, TopologyReport } from '@bq-sftp-export/cloud';
import { ensureTopology } from '@bq-sftp-export/cloud';
import type { ExportConfig } from '@bq-sftp-export/config';
import { createConfigSource, loadExportConfig } from '@bq-sftp-export/config';
import { AppError } from '@bq-sftp-export/runtime';

import { googleClientsFromEnv } from '../cloud/google-clients.js';
import { seedTables } from '../seed/customer-table.js';
import type { SeededTable } from './seed-customer-table.js';
import { seedCustomerTable } from './seed-customer-table.js';

export interface SetUpLocalCloudOptions {
  /** Create and fill the seed config's source tables. */
  readonly seed: boolean;
  /** Directory of `<config>.json`: seeds the seed tables its exports read, and uses its staging bucket. */
  readonly configDir?: string;
  /** Default `default`. */
  readonly configName?: string;
  /** Rows generated per seeded table; default 500. */
  readonly rowsPerTable?: number;
  readonly topology?: EnsureTopologyOptions;
}

export interface SetUpReport {
  readonly topology: TopologyReport;
  readonly bucket: { readonly name: string; readonly created: boolean };
  readonly tables: readonly SeededTable[];
}

/** What set-up needs of a local cloud: its environment (a `LocalCloud`, or `process.env` wrapped). */
export interface SetUpTarget {
  env(): Readonly<Record<string, string | undefined>>;
}

async function ensureBucket(storage: Storage, name: string): Promise<boolean> {
  try {
    await storage.createBucket(name);
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === 409) return false;
    throw error;
  }
}

const seedTableList = Object.values(seedTables);

/** The seed tables the config's exports read (both without a config). */
function tablesToSeed(config: ExportConfig | undefined): typeof seedTableList {
  if (config === undefined) return seedTableList;
  const read = new Set(config.exports.map((entry) => entry.sourceTable.split('.').slice(-2).join('.')));
  return seedTableList.filter((table) => read.has(`${table.dataset}.${table.table}`));
}

function stagingBucketOf(config: ExportConfig | undefined, env: Record<string, string | undefined>): string {
  const bucket = config?.staging.bucket ?? env['STAGING_BUCKET'];
  if (bucket === undefined || bucket === '') {
    throw new AppError('STAGING_BUCKET is not set and the config names no staging bucket', {
      code: 'STAGING_BUCKET_MISSING',
      retryable: false,
    });
  }
  return bucket;
}

/**
 * Prepares a (local) cloud for the services: the Pub/Sub topology from the contracts, the
 * staging bucket and, with `seed`, the seed config's source tables filled with generated
 * customer rows — all through the real Google clients, so it works against any emulator whose
 * hosts are in the environment. Idempotent: what exists is left as it is (a seeded table is
 * not filled twice).
 */
export async function setUpLocalCloud(
  target: SetUpTarget,
  options: SetUpLocalCloudOptions,
): Promise<SetUpReport> {
  const env = { ...target.env() };
  const config =
    options.configDir === undefined
      ? undefined
      : await loadExportConfig(createConfigSource(options.configDir), options.configName ?? 'default');
  const clients = googleClientsFromEnv(env);
  try {
    const topology = await ensureTopology(clients.pubsub, undefined, options.topology);
    const bucketName = stagingBucketOf(config, env);
    const created = await ensureBucket(clients.storage, bucketName);
    const tables = options.seed ? await seedAll(clients.bigquery, tablesToSeed(config), options) : [];
    return { topology, bucket: { name: bucketName, created }, tables };
  } finally {
    await clients.pubsub.close();
  }
}

async function seedAll(
  bigquery: BigQuery,
  tables: typeof seedTableList,
  options: SetUpLocalCloudOptions,
): Promise<SeededTable[]> {
  const seeded: SeededTable[] = [];
  for (const table of tables) {
    const index = seedTableList.indexOf(table);
    seeded.push(
      await seedCustomerTable(bigquery, {
        ...table,
        count: options.rowsPerTable ?? 500,
        seed: index + 1,
        idOffset: index * 1_000_000,
      }),
    );
  }
  return seeded;
}
