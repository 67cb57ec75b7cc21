import { rm } from 'node:fs/promises';
import path from 'node:path';

import { randomBytesFile } from '@bq-sftp-export/testing';

import { notMeasured, type BenchRow } from '../report/bench-row.js';
import { formatMiB, mbPerSecond } from '../report/units.js';
import { runWorker } from '../measure/run-worker.js';
import { medianSample, type Sample } from '../measure/stats.js';
import type { SftpUploadResult } from '../workers/sftp-upload.worker.js';
import type { BenchSettings } from './bench-settings.js';

const target = 0.9;

function figure(bytes: number, sample: Sample): { mbps: number; cpuPerGiB: number; text: string } {
  const mbps = mbPerSecond(bytes, sample.seconds);
  const cpuPerGiB = sample.cpuSeconds / (bytes / 2 ** 30);
  return { mbps, cpuPerGiB, text: `${mbps.toFixed(0)} MB/s, ${cpuPerGiB.toFixed(2)} CPU s/GiB` };
}

function rows(network: string, result: SftpUploadResult): BenchRow[] {
  const openssh = figure(result.bytes, medianSample(result.samples.openssh));
  const baseline = `sftp: ${openssh.text}`;
  return (['file', 'gcs'] as const).map((source) => {
    const ours = figure(result.bytes, medianSample(result.samples[source]));
    const ratio = ours.mbps / openssh.mbps;
    return {
      stage: `SFTP upload ${formatMiB(result.bytes)}, ${source === 'file' ? 'file' : 'local GCS'} → ${network}`,
      project: ours.text,
      baseline,
      ratio,
      target: `≥ ${target}×`,
      met: ratio >= target,
      data: {
        network,
        source,
        mtu: result.mtu,
        nativeCrypto: result.nativeCrypto,
        ours,
        openssh,
        samples: result.samples,
      },
    };
  });
}

/**
 * The uploader's SFTP path against OpenSSH's `sftp`, on loopback and in a private network
 * namespace whose loopback has an Ethernet-sized MTU (1500): loopback's 64 KiB MTU flatters
 * paths that send many small packets.
 */
export async function sftpUploadStage(settings: BenchSettings): Promise<BenchRow[]> {
  const source = path.join(settings.dir, `sftp-source-${settings.sftpBytes}.bin`);
  await randomBytesFile(source, settings.sftpBytes);
  try {
    const args = [
      `--source=${source}`,
      `--bytes=${settings.sftpBytes}`,
      `--runs=${settings.runs}`,
      `--dir=${settings.dir}`,
      `--server-dir=${settings.serverDir}`,
    ];
    const loopback = await runWorker<SftpUploadResult>('sftp-upload', args);
    if (process.getuid?.() !== 0) {
      const reason = 'a private network namespace (unshare -n) needs root';
      return [
        ...rows(`loopback (MTU ${loopback.mtu})`, loopback),
        notMeasured('SFTP upload, netns with MTU 1500', `≥ ${target}×`, reason),
      ];
    }
    const namespaced = await runWorker<SftpUploadResult>('sftp-upload', [...args, '--mtu=1500'], {
      privateNetwork: true,
    });
    return [
      ...rows(`loopback (MTU ${loopback.mtu})`, loopback),
      ...rows(`netns, MTU ${namespaced.mtu}`, namespaced),
    ];
  } finally {
    await rm(source, { force: true });
  }
}
