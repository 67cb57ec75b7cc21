import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

import { Topics } from '@bq-sftp-export/contracts';
import { requestAndFollow } from '@bq-sftp-export/demo';
import type { ExportProgress } from '@bq-sftp-export/demo';
import { generateSshKey, pollUntil } from '@bq-sftp-export/testing';

import { configCases, PASTED_SECRET } from './config-cases.js';
import {
  BIG_VALUE_LENGTH,
  badInputConfig,
  badInputTablesSql,
  EVERY_TYPE_COLUMNS,
  NON_UTF8,
  ROW_SENTINELS,
} from './data-cases.js';
import { describeLeaks } from './leak-scan.js';
import { PARTNER_SECRETS, repoRoot, startBadInputStack } from './testing/bad-input-stack.js';
import type { BadInputStack } from './testing/bad-input-stack.js';
import { CASE_ATTRIBUTE, publishRaw, WAIT, waitForDeadLetter } from './testing/dead-letters.js';
import { stoppedServices } from './testing/service-checks.js';

const CONFIG = 'bad_input';

/**
 * Bad configs, failing partner servers and awkward tables, against the three built services on
 * the local cloud delivering to OpenSSH (one stack for the file).
 */
describe('bad input: configs, partner servers and data', () => {
  let bad: BadInputStack;
  let demoConfig: Record<string, unknown>;

  beforeAll(async () => {
    bad = await startBadInputStack('bad-configs');
    await bad.stack.cloud.bigquery.seed(badInputTablesSql());
    demoConfig = JSON.parse(
      await readFile(path.join(bad.stack.configDirectory, 'default.json'), 'utf8'),
    ) as Record<string, unknown>;
    const other = await generateSshKey({ type: 'ed25519' });
    await bad.writeConfig(
      CONFIG,
      badInputConfig(demoConfig, {
        host: bad.sftp.host,
        port: bad.sftp.port,
        username: bad.sftp.username,
        path: bad.stack.deliveryDirectory,
        fingerprint: bad.sftp.hostKeyFingerprint,
        otherFingerprint: other.fingerprint,
      }),
    );
  }, 240_000);

  afterAll(async () => {
    await bad?.stop();
  });

  async function canaryRows(): Promise<number> {
    const [rows] = await bad.stack.clients.bigquery.query('SELECT COUNT(*) AS n FROM bad_input.canary');
    return Number((rows as { n: number }[])[0]?.n);
  }

  async function bqSftp(...args: string[]): Promise<{ code: number; output: string }> {
    try {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        [path.join(repoRoot, 'packages', 'cli', 'dist', 'main.js'), ...args],
        { env: { PATH: process.env['PATH'] ?? '', ...bad.stack.env }, cwd: bad.workDir },
      );
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
    }
  }

  describe('configs', () => {
    const cases = configCases({ exports: [{ source_table: 'd.t', columns: ['c'] }] }).map((entry, index) => ({
      index,
      name: entry.name,
    }));

    it.each(cases)(
      '$name: bq-sftp validate names the field and exits 1; the extractor dead-letters the request and stays up',
      async ({ index }) => {
        const entry = configCases(demoConfig)[index]!;
        const name = `bad_config_${index}`;
        const file = path.join(bad.stack.configDirectory, `${name}.json`);
        await writeFile(file, entry.content);

        const validated = await bqSftp('validate', file);
        expect(validated.code).toBe(1);
        expect(validated.output).toContain(entry.field);

        const caseId = randomUUID();
        await publishRaw(
          bad.stack.clients.pubsub,
          Topics.exportRequests,
          Buffer.from(JSON.stringify({ config: name })),
          {
            [CASE_ATTRIBUTE]: caseId,
          },
        );
        const letter = await waitForDeadLetter(
          bad.stack.cloud,
          Topics.exportRequests,
          (candidate) => candidate.attributes[CASE_ATTRIBUTE] === caseId,
        );
        expect(letter.code).toBe('CONFIG_INVALID');
        expect(letter.reason).toContain(entry.field);
        if (entry.secret !== undefined) {
          expect(validated.output).not.toContain(entry.secret);
          expect(letter.reason).not.toContain(entry.secret);
        }
        expect(await canaryRows()).toBe(1);
        expect(stoppedServices(bad.services())).toEqual([]);
      },
    );
  });

  async function run(exportName: string): Promise<ExportProgress> {
    const { settled, progress } = await requestAndFollow(
      bad.stack.clients.pubsub,
      bad.tap,
      { config: CONFIG, exports: [exportName] },
      { exportNames: [exportName], timeoutMs: 120_000, services: bad.services },
    );
    expect(settled).toBe(true);
    return progress.exports()[0]!;
  }

  const deliveredFiles = async (exportName: string): Promise<string[]> =>
    (await readdir(bad.stack.deliveryDirectory)).filter((name) => name.startsWith(`${exportName}_`));

  describe('partner servers', () => {
    it.each([
      { exportName: 'to_wrong_password', code: 'SFTP_AUTH_FAILED', reason: 'auth' },
      { exportName: 'to_wrong_passphrase', code: 'SFTP_KEY_PASSPHRASE_WRONG', reason: 'passphrase' },
      { exportName: 'to_unknown_host_key', code: 'SFTP_HOST_KEY_MISMATCH', reason: 'host key' },
      { exportName: 'to_missing_secret', code: 'SECRETS_MISSING', reason: 'PARTNER_PASSWORD_NOT_SET' },
    ])(
      '$exportName: the upload fails at once with $code, is dead-lettered and notified; nothing lands',
      async ({ exportName, code, reason }) => {
        const entry = await run(exportName);
        expect(entry).toMatchObject({ step: 'failed', error: { step: 'upload', code, retryable: false } });
        expect(entry.error?.message.toLowerCase()).toContain(reason.toLowerCase());
        const letter = await waitForDeadLetter(
          bad.stack.cloud,
          Topics.fileReady,
          (candidate) => candidate.attributes['correlationId'] === entry.runId,
        );
        expect(letter).toMatchObject({ code, reason: entry.error?.message });
        await pollUntil(
          () => bad.stack.cloud.smtp.messages().find((mail) => mail.subject?.includes(exportName)),
          { describe: 'the failure mail', ...WAIT },
        );
        expect(await deliveredFiles(exportName)).toEqual([]);
        expect(stoppedServices(bad.services())).toEqual([]);
      },
    );
  });

  describe('data', () => {
    const deliveredText = async (entry: ExportProgress): Promise<string> =>
      readFile(path.join(bad.stack.deliveryDirectory, entry.fileName!), 'utf8');

    it('an empty table with the default policy: extract.empty, no file', async () => {
      const entry = await run('empty_skipped');
      expect(entry).toMatchObject({ step: 'empty', rows: 0 });
      expect(await deliveredFiles('empty_skipped')).toEqual([]);
    });

    it('an empty table with empty_export "empty_file": a file with the header only', async () => {
      const entry = await run('empty_as_file');
      expect(entry).toMatchObject({ step: 'delivered', rows: 0 });
      expect(await deliveredText(entry)).toBe('id,value\n');
    });

    it('every type, one row of values and one of NULL everywhere: both delivered, NULLs as empty fields', async () => {
      const entry = await run('every_type');
      expect(entry).toMatchObject({ step: 'delivered', rows: 2 });
      const text = await deliveredText(entry);
      expect(text.startsWith(`${EVERY_TYPE_COLUMNS.join(',')}\n`)).toBe(true);
      expect(text).toContain(`"${ROW_SENTINELS.everyType.replace(/"/g, '""')}\nsecond line"`);
      expect(text).toContain(NON_UTF8.toString('base64'));
      expect(text).toContain('-9223372036854775808');
      expect(text).toContain('12345678901234567890.123456789012345678');
      expect(text.endsWith(`\n${','.repeat(EVERY_TYPE_COLUMNS.length - 1)}\n`)).toBe(true);
    });

    it('a 10 MB single value is delivered whole', async () => {
      const entry = await run('big_value');
      expect(entry).toMatchObject({ step: 'delivered', rows: 1 });
      const file = path.join(bad.stack.deliveryDirectory, entry.fileName!);
      expect((await stat(file)).size).toBe('id,value\n1,'.length + BIG_VALUE_LENGTH + 1);
      const text = await readFile(file, 'utf8');
      expect(text.split(ROW_SENTINELS.big)).toHaveLength(BIG_VALUE_LENGTH / ROW_SENTINELS.big.length + 1);
    }, 180_000);

    it('BYTES that are not UTF-8 are delivered as base64', async () => {
      const entry = await run('non_utf8_bytes');
      expect(entry).toMatchObject({ step: 'delivered', rows: 1 });
      expect(await deliveredText(entry)).toBe(`id,raw\n1,${NON_UTF8.toString('base64')}\n`);
    });
  });

  it('after everything, the demo config is still delivered and no output holds a secret or a row value', async () => {
    const { settled, progress } = await requestAndFollow(
      bad.stack.clients.pubsub,
      bad.tap,
      { config: 'default', mode: 'full' },
      { exportNames: ['shopify_customers', 'klaviyo_customers'], timeoutMs: 120_000, services: bad.services },
    );
    expect(settled).toBe(true);
    expect(progress.exports().map((entry) => entry.step)).toEqual(['delivered', 'delivered']);
    expect(stoppedServices(bad.services())).toEqual([]);
    const leaks = await bad.scan([
      { label: 'auth table row', value: ROW_SENTINELS.auth },
      { label: 'every-type row', value: ROW_SENTINELS.everyType },
      { label: 'big value', value: ROW_SENTINELS.big.repeat(3) },
      { label: 'non-UTF-8 bytes (base64)', value: NON_UTF8.toString('base64') },
      { label: 'correct key passphrase', value: PARTNER_SECRETS.keyPassphrase },
      { label: 'password pasted into a config', value: PASTED_SECRET },
    ]);
    expect(describeLeaks(leaks)).toBe('');
  }, 180_000);
});
