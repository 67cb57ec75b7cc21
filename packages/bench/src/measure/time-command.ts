import { spawn } from 'node:child_process';

import type { Sample } from './stats.js';

const quote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;

function timesToSeconds(text: string): number {
  const match = /^(\d+)m([\d.]+)s$/.exec(text);
  if (match === null) throw new Error(`unexpected bash times output: ${text}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * Runs a command under bash (stdout to /dev/null, `input` on stdin) and reads its CPU time
 * from bash's `times` builtin (user + system of the finished children).
 */
export function timeCommand(command: string, args: readonly string[], input = ''): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const line = [command, ...args].map(quote).join(' ');
    const started = process.hrtime.bigint();
    const child = spawn('bash', ['-c', `${line} >/dev/null || exit $?; times`], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (data: Buffer) => (out += data.toString()));
    child.stderr.on('data', (data: Buffer) => (err += data.toString()));
    child.stdin.end(input);
    child.on('error', reject);
    child.on('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) {
        reject(new Error(`${command} exited with ${code}: ${err.trim().slice(0, 500)}`));
        return;
      }
      const [user, system] = (out.trim().split('\n').at(-1) ?? '').split(/\s+/);
      resolve({ seconds, cpuSeconds: timesToSeconds(user ?? '') + timesToSeconds(system ?? '') });
    });
  });
}
