import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { DemoStack, EventTap, ServiceProcess } from '@bq-sftp-export/demo';
import { generateSshKey } from '@bq-sftp-export/testing';
import type { OpenSshServer, SshKeyPair } from '@bq-sftp-export/testing';

import { repoRoot, startSuiteStack } from '../../testing/suite-stack.js';
import { capturedFiles, capturedNotifications, scanForLeaks } from '../leak-scan.js';
import type { Leak, Needle } from '../leak-scan.js';

export { repoRoot };

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
  const key = await generateSshKey({ type: 'ed25519', passphrase: PARTNER_SECRETS.keyPassphrase });
  const suite = await startSuiteStack({
    prefix,
    rowsPerTable,
    sftp: { passwordAuthentication: true, authorizedKeys: [key.publicKey] },
    serviceEnv: {
      PARTNER_PASSWORD_WRONG: PARTNER_SECRETS.wrongPassword,
      PARTNER_KEY: key.privateKey,
      PARTNER_KEY_PASSPHRASE_WRONG: PARTNER_SECRETS.wrongPassphrase,
    },
  });
  const { demo: stack, sftp } = suite;
  const secrets = (): Needle[] =>
    [
      { label: 'SFTP password', value: sftp.password ?? '' },
      { label: 'wrong SFTP password', value: PARTNER_SECRETS.wrongPassword },
      { label: 'key passphrase', value: PARTNER_SECRETS.keyPassphrase },
      { label: 'wrong key passphrase', value: PARTNER_SECRETS.wrongPassphrase },
      // A line from the middle of the private key's body.
      { label: 'private key', value: key.privateKey.split('\n')[2] ?? key.privateKey },
      { label: 'Slack webhook token', value: new URL(stack.env['SLACK_WEBHOOK_URL']!).pathname },
    ].filter((needle) => needle.value.length > 0);
  return {
    stack,
    sftp,
    key,
    tap: suite.tap,
    workDir: suite.workDir,
    env: suite.env,
    services: suite.services,
    restartServices: suite.launchAll,
    writeConfig: (name, config) =>
      writeFile(path.join(stack.configDirectory, `${name}.json`), `${JSON.stringify(config, null, 2)}\n`),
    secrets,
    scan: async (needles = []) =>
      scanForLeaks(
        [...(await capturedFiles(stack.logDirectory)), ...capturedNotifications(stack.cloud)],
        [...secrets(), ...needles],
      ),
    stop: suite.stop,
  };
}
