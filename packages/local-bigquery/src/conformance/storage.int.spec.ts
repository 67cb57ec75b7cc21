import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BigQuery } from '@google-cloud/bigquery';
import { clientOptions } from '../client-options.js';
import { startLocalBigQuery } from '../local-bigquery.js';

describe('storage: a database file, seeding, reset', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'local-bigquery-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps datasets, table resources and rows in the file across restarts', async () => {
    const database = path.join(dir, 'bq.duckdb');
    const first = await startLocalBigQuery({ database, projectId: 'file-project' });
    try {
      const bigquery = new BigQuery(clientOptions(first.endpoint, first.projectId));
      const [dataset] = await bigquery.createDataset('kept', { description: 'survives' });
      const [table] = await dataset.createTable('t', {
        schema: { fields: [{ name: 'id', type: 'INTEGER', mode: 'REQUIRED', description: 'key' }] },
      });
      await table.insert([{ id: 7 }]);
    } finally {
      await first.stop();
    }
    const second = await startLocalBigQuery({ database, projectId: 'file-project' });
    try {
      const bigquery = new BigQuery(clientOptions(second.endpoint, second.projectId));
      const [datasetMetadata] = await bigquery.dataset('kept').getMetadata();
      expect(datasetMetadata.description).toBe('survives');
      const [tableMetadata] = await bigquery.dataset('kept').table('t').getMetadata();
      expect(tableMetadata.schema.fields).toEqual([
        { name: 'id', type: 'INTEGER', mode: 'REQUIRED', description: 'key' },
      ]);
      const [rows] = await bigquery.query('SELECT id FROM kept.t');
      expect(rows).toEqual([{ id: 7 }]);
    } finally {
      await second.stop();
    }
  });

  it('seeds from GoogleSQL statements and from CSV and Parquet files', async () => {
    const local = await startLocalBigQuery({ projectId: 'seed-project' });
    try {
      await local.seed([
        'CREATE SCHEMA seeded',
        'CREATE TABLE seeded.people (name STRING, born DATE)',
        "INSERT INTO `seed-project.seeded.people` VALUES ('Ada', DATE '1815-12-10'), ('Alan', DATE '1912-06-23')",
      ]);
      const csv = path.join(dir, 'scores.csv');
      await writeFile(csv, 'name,score\nAda,10\nAlan,9\n');
      await local.loadFile({ datasetId: 'files', tableId: 'scores', path: csv });
      const parquet = path.join(dir, 'scores.parquet');
      await local.duckdb(`COPY files.scores TO '${parquet}' (FORMAT parquet)`);
      await local.loadFile({ datasetId: 'files', tableId: 'scores_pq', path: parquet });

      const bigquery = new BigQuery(clientOptions(local.endpoint, local.projectId));
      const [rows] = await bigquery.query(`
        SELECT p.name, p.born, s.score FROM seeded.people AS p JOIN files.scores_pq AS s ON s.name = p.name ORDER BY p.name`);
      expect(
        rows.map(
          (row: { name: string; born: { value: string }; score: number }) =>
            `${row.name}:${row.born.value}:${row.score}`,
        ),
      ).toEqual(['Ada:1815-12-10:10', 'Alan:1912-06-23:9']);
    } finally {
      await local.stop();
    }
  });

  it('resets to an empty project', async () => {
    const local = await startLocalBigQuery({ projectId: 'reset-project' });
    try {
      await local.seed('CREATE SCHEMA gone; CREATE TABLE gone.t (x INT64);');
      await local.reset();
      const bigquery = new BigQuery(clientOptions(local.endpoint, local.projectId));
      const [datasets] = await bigquery.getDatasets();
      expect(datasets).toEqual([]);
      await expect(bigquery.query('SELECT * FROM gone.t')).rejects.toMatchObject({ code: 404 });
    } finally {
      await local.stop();
    }
  });
});
