#!/usr/bin/env node
// SFTP upload throughput on a loopback OpenSSH server (not a test: figures, no thresholds).
//
//   pnpm --filter @bq-sftp-export/uploader run bench            # 1 GiB, 3 rounds, medians
//   pnpm --filter @bq-sftp-export/uploader run bench -- --quick # 128 MiB, 1 round
//
// Compares, on the same server and file, all with cipher aes128-gcm@openssh.com:
//   1. the uploader's SftpFileTransfer (pipelined writer fed by a file stream, sha256 of the
//      bytes, temporary name, size check, posix-rename);
//   2. the pipelined writer alone on a bare ssh2 connection (no hashing, no temp name, no checks);
//   3. ssh2-sftp-client fastPut (16 × 255 KiB in flight; reads a local file only);
//   4. OpenSSH `sftp -B 261120 -R 64` put.
// Prints MB/s (10^6 bytes) and client CPU seconds, and writes <repo>/.bench/sftp-throughput.json.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { chmod, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { generateSshKey, randomBytesFile, startOpenSshServer } from '@bq-sftp-export/testing';
import ssh2 from 'ssh2';
import SftpClient from 'ssh2-sftp-client';

import {
  SftpFileTransfer,
  sshNativeCryptoAvailable,
  writeStreamPipelined,
} from '../dist/adapters/sftp/index.js';

const quick = process.argv.includes('--quick');
const size = quick ? 128 * 1024 * 1024 : 1024 * 1024 * 1024;
const rounds = quick ? 1 : 3;
const cipher = 'aes128-gcm@openssh.com';
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const workDir = path.join(repo, '.bench');
const source = path.join(workDir, `sftp-source-${size}.bin`);

const quietLogger = { info: () => undefined, warn: (message) => console.warn(message) };

function cpuSeconds(start) {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

async function measureInProcess(run) {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await run();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuSeconds: cpuSeconds(cpu) };
}

/** Runs a command under bash and reads its children's CPU time from bash's `times`. */
function measureCommand(command, args, input) {
  return new Promise((resolve, reject) => {
    const quoted = [command, ...args].map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ');
    const started = process.hrtime.bigint();
    const child = spawn('bash', ['-c', `${quoted} >/dev/null || exit 1; times`], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (data) => (out += data));
    child.stdin.end(input);
    child.on('error', reject);
    child.on('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(`${command} exited with ${code}`));
      const childTimes = out.trim().split('\n').at(-1).split(/\s+/);
      const toSeconds = (t) => {
        const [, m, s] = /^(\d+)m([\d.]+)s$/.exec(t);
        return Number(m) * 60 + Number(s);
      };
      resolve({ seconds, cpuSeconds: toSeconds(childTimes[0]) + toSeconds(childTimes[1]) });
    });
  });
}

/** A bare ssh2 SFTP channel (Nagle off, like the adapter). */
function openBareSftp(options) {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.once('error', reject);
    client.once('ready', () =>
      client.sftp((error, sftp) => (error ? reject(error) : resolve({ client, sftp }))),
    );
    client.connect(options);
    client.setNoDelay(true);
  });
}

const call = (fn) =>
  new Promise((resolve, reject) => fn((error, value) => (error ? reject(error) : resolve(value))));

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  await mkdir(workDir, { recursive: true });
  if ((await stat(source).catch(() => undefined))?.size !== size) {
    console.log(`generating ${size} random bytes in ${path.relative(repo, source)} …`);
    await randomBytesFile(source, size);
  }
  const key = await generateSshKey({ type: 'ed25519' });
  const keyFile = path.join(workDir, 'bench-client-key');
  await writeFile(keyFile, key.privateKey, { mode: 0o600 });
  // The server writes to memory when it can: the bench measures SFTP, not this machine's disk.
  const baseDir = existsSync('/dev/shm') ? '/dev/shm' : undefined;
  const server = await startOpenSshServer({
    authorizedKeys: [key.publicKey],
    ...(baseDir ? { baseDir } : {}),
  });
  await chmod(server.root, 0o777);
  const remote = (name) => path.posix.join(server.root, name);
  const destination = {
    host: server.host,
    port: server.port,
    username: server.username,
    auth: { type: 'private-key', privateKey: key.privateKey },
    hostKeyFingerprints: [server.hostKeyFingerprint],
    path: server.root,
    collisionPolicy: 'overwrite',
    algorithms: { cipher: [cipher] },
  };

  const paths = {
    'uploader SftpFileTransfer (pipelined, 16 × 255 KiB, sha256, temp + rename)': () =>
      measureInProcess(async () => {
        const transfer = new SftpFileTransfer(quietLogger);
        const result = await transfer.upload({
          destination,
          fileName: 'uploader.bin',
          source: createReadStream(source, { highWaterMark: 1024 * 1024 }),
        });
        if (result.bytes !== size) throw new Error(`uploader sent ${result.bytes} bytes`);
      }),
    'pipelined writer alone (16 × 255 KiB, no hash, no temp/rename)': () =>
      measureInProcess(async () => {
        const { client, sftp } = await openBareSftp({
          host: server.host,
          port: server.port,
          username: server.username,
          privateKey: key.privateKey,
          algorithms: { cipher: [cipher] },
          hostVerifier: () => true,
        });
        try {
          const handle = await call((done) => sftp.open(remote('writer.bin'), 'w', done));
          const written = await writeStreamPipelined(
            sftp,
            handle,
            createReadStream(source, { highWaterMark: 1024 * 1024 }),
            {
              concurrency: 16,
              chunkBytes: 255 * 1024,
              stallTimeoutMs: 60_000,
              sha256: false,
            },
          );
          await call((done) => sftp.close(handle, done));
          if (written.bytes !== size) throw new Error(`writer sent ${written.bytes} bytes`);
        } finally {
          client.end();
        }
      }),
    'ssh2-sftp-client fastPut (16 × 255 KiB)': () =>
      measureInProcess(async () => {
        const client = new SftpClient();
        await client.connect({
          host: server.host,
          port: server.port,
          username: server.username,
          privateKey: key.privateKey,
          algorithms: { cipher: [cipher] },
          hostVerifier: (hostKey) =>
            `SHA256:${createHash('sha256').update(hostKey).digest('base64').replace(/=+$/, '')}` ===
            server.hostKeyFingerprint,
        });
        try {
          await client.fastPut(source, remote('fastput.bin'), { concurrency: 16, chunkSize: 261120 });
        } finally {
          await client.end();
        }
      }),
    'OpenSSH sftp -B 261120 -R 64': () =>
      measureCommand(
        'sftp',
        ['-q', '-B', '261120', '-R', '64', '-c', cipher, '-i', keyFile, '-P', String(server.port)]
          .concat([
            '-o',
            'StrictHostKeyChecking=no',
            '-o',
            'UserKnownHostsFile=/dev/null',
            '-o',
            'BatchMode=yes',
          ])
          .concat(['-b', '-', `${server.username}@${server.host}`]),
        `put ${source} ${remote('openssh.bin')}\n`,
      ),
  };

  const samples = Object.fromEntries(Object.keys(paths).map((name) => [name, []]));
  try {
    for (let round = 1; round <= rounds; round += 1) {
      for (const [name, run] of Object.entries(paths)) {
        const sample = await run();
        samples[name].push(sample);
        console.log(
          `round ${round}: ${name}: ${(size / sample.seconds / 1e6).toFixed(0)} MB/s, ${sample.cpuSeconds.toFixed(2)} s CPU`,
        );
        await rm(path.join(server.root, 'uploader.bin'), { force: true });
        await rm(path.join(server.root, 'fastput.bin'), { force: true });
        await rm(path.join(server.root, 'writer.bin'), { force: true });
        await rm(path.join(server.root, 'openssh.bin'), { force: true });
      }
    }
  } finally {
    await server.stop();
    await rm(keyFile, { force: true });
  }

  const gib = size / 1024 ** 3;
  const results = Object.entries(samples).map(([name, list]) => ({
    name,
    mbPerSecond: Math.round(size / median(list.map((s) => s.seconds)) / 1e6),
    cpuSecondsPerGiB: Number((median(list.map((s) => s.cpuSeconds)) / gib).toFixed(2)),
    runs: list.length,
  }));
  const baseline = results.at(-1).mbPerSecond;
  const nativeCrypto = sshNativeCryptoAvailable();
  console.log(`\nSFTP upload, ${size / 1024 ** 2} MiB, loopback OpenSSH, ${cipher}, median of ${rounds}`);
  console.log(`ssh2 native crypto binding loaded: ${nativeCrypto ? 'yes' : 'NO (expect 20-30 % less)'}\n`);
  console.log(
    `${'path'.padEnd(78)} ${'MB/s'.padStart(6)} ${'×sftp'.padStart(6)} ${'CPU s/GiB'.padStart(10)}`,
  );
  for (const r of results) {
    console.log(
      `${r.name.padEnd(78)} ${String(r.mbPerSecond).padStart(6)} ${(r.mbPerSecond / baseline).toFixed(2).padStart(6)} ${r.cpuSecondsPerGiB.toFixed(2).padStart(10)}`,
    );
  }
  const report = { bench: 'sftp-throughput', bytes: size, rounds, cipher, nativeCrypto, results };
  await writeFile(path.join(workDir, 'sftp-throughput.json'), `${JSON.stringify(report, null, 2)}\n`);
}

await main();
