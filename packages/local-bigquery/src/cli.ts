#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startLocalBigQuery } from './local-bigquery.js';

const usage = `local-bigquery [--port 9050] [--host 127.0.0.1] [--database bq.duckdb] [--project local-project] [--seed file.sql]...
  Serves the BigQuery REST API v2 on DuckDB until interrupted. --database defaults to :memory:.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '9050' },
      host: { type: 'string', default: '127.0.0.1' },
      database: { type: 'string', default: ':memory:' },
      project: { type: 'string', default: 'local-project' },
      seed: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const local = await startLocalBigQuery({
    port: Number(values.port),
    host: values.host,
    database: values.database,
    projectId: values.project,
  });
  for (const file of values.seed) await local.seed(await readFile(file, 'utf8'));
  process.stdout.write(
    `local-bigquery: ${local.endpoint} (project ${local.projectId}, database ${values.database})\n`,
  );
  process.stdout.write(`BIGQUERY_API_ENDPOINT=${local.endpoint}\nGOOGLE_CLOUD_PROJECT=${local.projectId}\n`);
  const stop = (): void => {
    void local.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`local-bigquery: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
