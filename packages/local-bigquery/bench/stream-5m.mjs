// Streams a 5M-row query result through @google-cloud/bigquery from the emulator and prints
// memory as it goes. Run after `pnpm run build`: `node bench/stream-5m.mjs [rows]`.
import { BigQuery } from '@google-cloud/bigquery';
import { clientOptions, startLocalBigQuery } from '../dist/index.js';

const rows = Number(process.argv[2] ?? 5_000_000);
const mb = (bytes) => `${Math.round(bytes / 1e6)} MB`;
const report = (label) => {
  const { rss, heapUsed } = process.memoryUsage();
  process.stdout.write(`${label}: rss ${mb(rss)}, heap ${mb(heapUsed)}\n`);
};

const local = await startLocalBigQuery({ projectId: 'bench' });
try {
  await local.duckdb(
    `CREATE SCHEMA ds; CREATE TABLE ds.big AS
       SELECT i AS id, 'row-' || i AS name, TIMESTAMP '2024-01-01' + i * INTERVAL 1 SECOND AS ts FROM range(${rows}) t(i)`,
  );
  report('after seeding');
  const bigquery = new BigQuery(clientOptions(local.endpoint, local.projectId));
  const started = Date.now();
  let seen = 0;
  let maxHeap = 0;
  await new Promise((resolve, reject) => {
    bigquery
      .createQueryStream({ query: 'SELECT id, name, ts FROM ds.big ORDER BY id' })
      .on('data', (row) => {
        if (row.id !== seen) reject(new Error(`row ${seen} came as ${row.id}`));
        seen++;
        if (seen % 1_000_000 === 0) report(`${seen} rows`);
        if (seen % 10_000 === 0) maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
      })
      .on('error', reject)
      .on('end', resolve);
  });
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(
    `streamed ${seen} rows in ${seconds.toFixed(1)} s (${Math.round(seen / seconds)} rows/s); max heap ${mb(maxHeap)}\n`,
  );
} finally {
  await local.stop();
}
