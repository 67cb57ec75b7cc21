import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BigQuery } from '@google-cloud/bigquery';
import { clientOptions } from '../client-options.js';
import { startLocalBigQuery } from '../local-bigquery.js';
import type { LocalBigQuery } from '../local-bigquery.js';

describe('datasets and tables through @google-cloud/bigquery', () => {
  let local: LocalBigQuery;
  let bigquery: BigQuery;

  beforeAll(async () => {
    local = await startLocalBigQuery({ projectId: 'crud-project' });
    bigquery = new BigQuery(clientOptions(local.endpoint, local.projectId));
  });
  afterAll(async () => {
    await local.stop();
  });

  it('creates, gets, lists and deletes a dataset', async () => {
    const [dataset] = await bigquery.createDataset('sales', { description: 'test data' });
    expect(dataset.id).toBe('sales');
    const [metadata] = await bigquery.dataset('sales').getMetadata();
    expect(metadata.datasetReference).toEqual({ projectId: 'crud-project', datasetId: 'sales' });
    expect(metadata.description).toBe('test data');
    const [datasets] = await bigquery.getDatasets();
    expect(datasets.map((d) => d.id)).toContain('sales');
    const [exists] = await bigquery.dataset('sales').exists();
    expect(exists).toBe(true);
    await bigquery.dataset('sales').delete();
    const [after] = await bigquery.dataset('sales').exists();
    expect(after).toBe(false);
  });

  it('answers 409 for a dataset that exists and 404 for one that does not', async () => {
    await bigquery.createDataset('twice');
    await expect(bigquery.createDataset('twice')).rejects.toMatchObject({ code: 409 });
    await expect(bigquery.dataset('missing').getMetadata()).rejects.toMatchObject({ code: 404 });
  });

  it('creates a table with every scalar type, REPEATED and RECORD, and reads its schema back', async () => {
    const [dataset] = await bigquery.createDataset('typed');
    const fields = [
      { name: 's', type: 'STRING', mode: 'REQUIRED' },
      { name: 'by', type: 'BYTES' },
      { name: 'i', type: 'INTEGER' },
      { name: 'f', type: 'FLOAT' },
      { name: 'n', type: 'NUMERIC' },
      { name: 'bn', type: 'BIGNUMERIC' },
      { name: 'b', type: 'BOOLEAN' },
      { name: 'd', type: 'DATE' },
      { name: 'dt', type: 'DATETIME' },
      { name: 't', type: 'TIME' },
      { name: 'ts', type: 'TIMESTAMP' },
      { name: 'j', type: 'JSON' },
      { name: 'tags', type: 'STRING', mode: 'REPEATED' },
      {
        name: 'rec',
        type: 'RECORD',
        fields: [
          { name: 'a', type: 'INTEGER' },
          { name: 'b', type: 'STRING', mode: 'REPEATED' },
        ],
      },
    ];
    await dataset.createTable('all_types', { schema: { fields }, description: 'every type' });
    const [metadata] = await dataset.table('all_types').getMetadata();
    expect(
      (metadata.schema.fields as { name: string; type: string }[]).map((f) => `${f.name}:${f.type}`),
    ).toEqual(fields.map((f) => `${f.name}:${f.type}`));
    expect(metadata.schema.fields[0].mode).toBe('REQUIRED');
    expect(metadata.numRows).toBe('0');
    expect(metadata.description).toBe('every type');
    const [tables] = await dataset.getTables();
    expect(tables.map((t) => t.id)).toEqual(['all_types']);
  });

  it('creates a table from the client schema string, lists, deletes it, and 404s afterwards', async () => {
    const [dataset] = await bigquery.createDataset('short');
    await dataset.createTable('events', { schema: 'id:INTEGER,name:STRING,at:TIMESTAMP' });
    await expect(dataset.createTable('events', { schema: 'id:INTEGER' })).rejects.toMatchObject({
      code: 409,
    });
    await dataset.table('events').delete();
    await expect(dataset.table('events').getMetadata()).rejects.toMatchObject({ code: 404 });
  });

  it('refuses to delete a dataset with tables unless told to delete contents', async () => {
    const [dataset] = await bigquery.createDataset('full');
    await dataset.createTable('t', { schema: 'id:INTEGER' });
    await expect(dataset.delete()).rejects.toMatchObject({ code: 400 });
    await dataset.delete({ force: true });
    const [exists] = await dataset.exists();
    expect(exists).toBe(false);
  });

  it('adds columns through a schema patch and keeps descriptions', async () => {
    const [dataset] = await bigquery.createDataset('patched');
    const [table] = await dataset.createTable('t', { schema: 'id:INTEGER' });
    await table.setMetadata({
      description: 'now described',
      schema: {
        fields: [
          { name: 'id', type: 'INTEGER' },
          { name: 'extra', type: 'STRING' },
        ],
      },
    });
    const [metadata] = await table.getMetadata();
    expect(metadata.description).toBe('now described');
    expect((metadata.schema.fields as { name: string }[]).map((f) => f.name)).toEqual(['id', 'extra']);
  });
});
