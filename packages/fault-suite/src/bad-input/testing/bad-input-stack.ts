import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openEventTap, SERVICE_NAMES, startDemoStack, startService } from '@bq-sftp-export/demo';
import type { DemoStack, EventTap, ServiceProcess } from '@bq-sftp-export/demo';
import { generateSshKey, startOpenSshServer } from '@bq-sftp-export/testing';
import type { OpenSshServer, SshKeyPair } from '@bq-sftp-export/testing';

import { capturedFiles, capturedNotifications, scanForLeaks } from '../leak-scan.js';
import type { Leak, Needle } from '../leak-scan.js';

export const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  '..',
  '..',
);

/** Secrets the services get only for the bad-input destinations; each one must stay out of every output. */
export const PARTNER_SECRETS = {
  wrongPassword: 'WrongPw-bad-input-7Q2x!',
  keyPassphrase: 'Right-passphrase-bad-input-K9',
  wrongPassphrase: 'Wrong-passphrase-bad-input-Z3',
} as const;

/** The three built services on the local cloud, delivering to OpenSSH, with extra secrets in their environment. */
export interface BadInputStack {
  readonly stack: DemoStack;
  readonly sftp: OpenSshServer;
  readonly key: SshKeyPair;
  readonly tap: EventTap;
  readonly workDir: string;
  /** The services' environment (the demo's plus the partner secrets), without `PATH`. */
  readonly env: Readonly<Record<string, string>>;
  services(): readonly ServiceProcess[];
  /** Restarts the three services (after a test stopped or replaced one). */
  restartServices(): Promise<void>;
  /** Writes `configs/<name>.json`, which the services read when a message names it. */
  writeConfig(name: string, config: unknown): Promise<void>;
  /** Every secret the services hold, labelled (the SFTP passwords, the key and its passphrases, the webhook token). */
  secrets(): Needle[];
  /** Scans every log, mail and Slack post for `needles` (and `secrets()`). */
  scan(needles?: readonly Needle[]): Promise<Leak[]>;
  stop(): Promise<void>;
}

/**
 * Starts a real OpenSSH server (password and key auth; the key is passphrase-protected) and the
 * demo stack against it with `rowsPerTable` seeded rows, then runs the three services with the
 * partner secrets added to their environment (`PARTNER_PASSWORD_WRONG`, `PARTNER_KEY`,
 * `PARTNER_KEY_PASSPHRASE_WRONG`).
 */
export async function startBadInputStack(prefix: string, rowsPerTable = 20): Promise<BadInputStack> {
  const workDir = await mkdtemp(path.join(tmpdir(), `bqx-${prefix}-`));
  const key = await generateSshKey({ type: 'ed25519', passphrase: PARTNER_SECRETS.keyPassphrase });
  const sftp = await startOpenSshServer({ passwordAuthentication: true, authorizedKeys: [key.publicKey] });
  let stack: DemoStack | undefined;
  try {
    stack = await startDemoStack({
      repoRoot,
      directory: workDir,
      persistent: false,
      rowsPerTable,
      fastRetries: true,
      sftp: { ...sftp, password: sftp.password ?? '' },
    });
    await stack.stopServices();
    const ownStack = stack;
    const env = {
      ...stack.env,
      PARTNER_PASSWORD_WRONG: PARTNER_SECRETS.wrongPassword,
      PARTNER_KEY: key.privateKey,
      PARTNER_KEY_PASSPHRASE_WRONG: PARTNER_SECRETS.wrongPassphrase,
    };
    let services: ServiceProcess[] = [];
    const startAll = async (): Promise<void> => {
      services = [];
      for (const name of SERVICE_NAMES) {
        services.push(
          await startService(name, {
            repoRoot,
            env: { PATH: process.env['PATH'] ?? '', ...env },
            logDirectory: ownStack.logDirectory,
          }),
        );
      }
      await Promise.all(services.map((service) => service.started));
    };
    const stopAll = async (): Promise<void> => {
      await Promise.all(services.map((service) => service.stop()));
    };
    await startAll();
    const tap = await openEventTap(stack.clients.pubsub, `${prefix}-tap`);
    const secrets = (): Needle[] =>
      [
        { label: 'SFTP password', value: sftp.password ?? '' },
        { label: 'wrong SFTP password', value: PARTNER_SECRETS.wrongPassword },
        { label: 'key passphrase', value: PARTNER_SECRETS.keyPassphrase },
        { label: 'wrong key passphrase', value: PARTNER_SECRETS.wrongPassphrase },
        // A line from the middle of the private key's body.
        { label: 'private key', value: key.privateKey.split('\n')[2] ?? key.privateKey },
        { label: 'Slack webhook token', value: new URL(ownStack.env['SLACK_WEBHOOK_URL']!).pathname },
      ].filter((needle) => needle.value.length > 0);
    return {
      stack,
      sftp,
      key,
      tap,
      workDir,
      env,
      services: () => services,
      restartServices: async () => {
        await stopAll();
        await startAll();
      },
      writeConfig: (name, config) =>
        writeFile(
          path.join(ownStack.configDirectory, `${name}.json`),
          `${JSON.stringify(config, null, 2)}\n`,
        ),
      secrets,
      scan: async (needles = []) =>
        scanForLeaks(
          [...(await capturedFiles(ownStack.logDirectory)), ...capturedNotifications(ownStack.cloud)],
          [...secrets(), ...needles],
        ),
      stop: async () => {
        await tap.close();
        await stopAll();
        await ownStack.stop();
        await sftp.stop();
        // BQX_KEEP_WORK_DIR=1 keeps the logs and configs for a look after a failure.
        if (process.env['BQX_KEEP_WORK_DIR'] === '1') process.stderr.write(`kept ${workDir}\n`);
        else await rm(workDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stack?.stop();
    await sftp.stop();
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
}
