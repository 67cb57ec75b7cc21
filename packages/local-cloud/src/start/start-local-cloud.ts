import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { LOCAL_PROJECT_ID } from '@bq-sftp-export/cloud';
import { startLocalBigQuery } from '@bq-sftp-export/local-bigquery';
import { startLocalGcs } from '@bq-sftp-export/local-gcs';
import { startLocalPubSub } from '@bq-sftp-export/local-pubsub';
import { loadOrCreateHostKey, startLocalSftp } from '@bq-sftp-export/local-sftp';
import { startSlackSink, startSmtpSink } from '@bq-sftp-export/local-sinks';

import type { LocalCloud, LocalCloudOptions } from './local-cloud.js';
import { localCloudEnv } from './local-cloud-env.js';

/** The SFTP account of the local partner server. */
export const LOCAL_SFTP_USERNAME = 'partner';
export const LOCAL_STAGING_BUCKET = 'local-staging';

/**
 * Starts every part of the local cloud on loopback: Pub/Sub (gRPC), Cloud Storage (JSON API),
 * BigQuery (REST on DuckDB), an SFTP server, an SMTP sink and a Slack webhook sink. If one part
 * fails to start, the ones already running are stopped before the error is thrown.
 */
export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const { directory } = options;
  const port = (part: keyof NonNullable<LocalCloudOptions['ports']>): number => options.ports?.[part] ?? 0;
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  try {
    if (directory !== undefined) await mkdir(directory, { recursive: true });
    const projectId = options.projectId ?? LOCAL_PROJECT_ID;
    const pubsub = await startLocalPubSub({
      port: port('pubsub'),
      ...(options.pubsubMinDeadlineSeconds === undefined
        ? {}
        : { minDeadlineSeconds: options.pubsubMinDeadlineSeconds }),
    });
    stops.push(() => pubsub.stop());
    const gcs = await startLocalGcs({
      port: port('gcs'),
      ...(directory === undefined ? {} : { directory: path.join(directory, 'gcs') }),
    });
    stops.push(() => gcs.stop());
    const bigquery = await startLocalBigQuery({
      port: port('bigquery'),
      projectId,
      database: directory === undefined ? ':memory:' : path.join(directory, 'bigquery.duckdb'),
    });
    stops.push(() => bigquery.stop());

    let root: string;
    if (directory === undefined) {
      root = await mkdtemp(path.join(tmpdir(), 'bqx-local-sftp-'));
      stops.push(() => rm(root, { recursive: true, force: true }));
    } else {
      root = path.join(directory, 'sftp');
      await mkdir(root, { recursive: true });
    }
    const password = randomBytes(18).toString('base64url');
    const hostKey =
      directory === undefined ? undefined : await loadOrCreateHostKey(path.join(directory, 'sftp-host-key'));
    const sftpServer = await startLocalSftp({
      root,
      port: port('sftp'),
      users: [{ username: LOCAL_SFTP_USERNAME, password }],
      ...(hostKey === undefined ? {} : { hostKey }),
    });
    stops.push(() => sftpServer.stop());
    const sftp = Object.freeze({
      host: sftpServer.host,
      port: sftpServer.port,
      hostKeyFingerprint: sftpServer.hostKeyFingerprint,
      stop: () => sftpServer.stop(),
      root,
      username: LOCAL_SFTP_USERNAME,
      password,
    });

    const smtp = await startSmtpSink({
      port: port('smtp'),
      ...(directory === undefined ? {} : { directory: path.join(directory, 'mail') }),
    });
    stops.push(() => smtp.stop());
    const slack = await startSlackSink({ port: port('slack') });
    stops.push(() => slack.stop());

    const parts = {
      projectId,
      stagingBucket: options.stagingBucket ?? LOCAL_STAGING_BUCKET,
      directory,
      pubsub,
      gcs,
      bigquery,
      sftp,
      smtp,
      slack,
    };
    const env = localCloudEnv(parts);
    return Object.freeze({ ...parts, env: () => env, stop: stopAll });
  } catch (error) {
    await stopAll();
    throw error;
  }
}
