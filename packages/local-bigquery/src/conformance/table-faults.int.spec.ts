import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BigQuery } from '@google-cloud/bigquery';
import { clientOptions } from '../client-options.js';
import { startLocalBigQuery } from '../local-bigquery.js';
import type { LocalBigQuery } from '../local-bigquery.js';

describe('fault controls per table: access denied, backend errors', () => {
  let local: LocalBigQuery;
  let bigquery: BigQuery;

  beforeAll(async () => {
    local = await startLocalBigQuery({ projectId: 'denied-project' });
    bigquery = new BigQuery(clientOptions(local.endpoint, local.projectId));
    await local.seed([
      'CREATE SCHEMA src',
      'CREATE TABLE src.secret (id INT64)',
      'INSERT INTO src.secret (id) VALUES (1)',
      'CREATE TABLE src.open (id INT64)',
      'INSERT INTO src.open (id) VALUES (2)',
    ]);
  });
  afterAll(async () => {
    await local.stop();
  });

  it('answers 403 accessDenied for queries and query jobs naming the table, until access is restored', async () => {
    local.denyAccess('src', 'secret');
    const denied = {
      code: 403,
      errors: [expect.objectContaining({ reason: 'accessDenied' })],
      message: expect.stringContaining('Access Denied: Table denied-project:src.secret'),
    };
    await expect(bigquery.query('SELECT id FROM src.secret')).rejects.toMatchObject(denied);
    await expect(
      bigquery.createQueryJob({ query: 'SELECT o.id FROM src.open o JOIN src.secret s ON o.id = s.id' }),
    ).rejects.toMatchObject(denied);
    const [open] = await bigquery.query('SELECT id FROM src.open');
    expect(open).toEqual([{ id: 2 }]);

    local.restoreAccess('src', 'secret');
    const [rows] = await bigquery.query('SELECT id FROM src.secret');
    expect(rows).toEqual([{ id: 1 }]);
  });

  it('answers 500 backendError to the next queries naming the table, then recovers', async () => {
    const noRetry = new BigQuery({ ...clientOptions(local.endpoint, local.projectId), autoRetry: false });
    local.failQueries('src', 'open', 2);
    const failed = { code: 500, errors: [expect.objectContaining({ reason: 'backendError' })] };
    await expect(noRetry.query('SELECT id FROM src.open')).rejects.toMatchObject(failed);
    const [secret] = await noRetry.query('SELECT id FROM src.secret');
    expect(secret).toEqual([{ id: 1 }]);
    await expect(noRetry.query('SELECT id FROM src.open')).rejects.toMatchObject(failed);
    const [rows] = await noRetry.query('SELECT id FROM src.open');
    expect(rows).toEqual([{ id: 2 }]);
  });

  it('answers 403 quotaExceeded when asked to; 0 disarms', async () => {
    local.failQueries('src', 'open', 5, 'quotaExceeded');
    await expect(bigquery.query('SELECT id FROM src.open')).rejects.toMatchObject({
      code: 403,
      errors: [expect.objectContaining({ reason: 'quotaExceeded' })],
    });
    local.failQueries('src', 'open', 0);
    const [rows] = await bigquery.query('SELECT id FROM src.open');
    expect(rows).toEqual([{ id: 2 }]);
  });

  it('fails the next insertAll calls into a table; other tables and the rows after are taken', async () => {
    local.failInserts('src', 'open', 1, 'quotaExceeded');
    await expect(
      bigquery
        .dataset('src')
        .table('open')
        .insert([{ id: 3 }]),
    ).rejects.toMatchObject({
      code: 403,
      errors: [expect.objectContaining({ reason: 'quotaExceeded' })],
    });
    await bigquery
      .dataset('src')
      .table('secret')
      .insert([{ id: 4 }]);
    await bigquery
      .dataset('src')
      .table('open')
      .insert([{ id: 5 }]);
    const [rows] = await bigquery.query('SELECT id FROM src.open ORDER BY id');
    expect(rows).toEqual([{ id: 2 }, { id: 5 }]);
  });
});
