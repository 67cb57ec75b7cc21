import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';

import { createCompressionStream, CsvEncodeTransform } from '@bq-sftp-export/extractor';

import { benchColumns, customerLikeRows, pagesOf } from '../data/customer-rows.js';
import { timeCommand } from '../measure/time-command.js';
import { timeInProcess, type Sample } from '../measure/stats.js';
import { argNumber, argString } from './args.js';

export interface GzipResult {
  readonly inputBytes: number;
  /** Samples by contender: `project-6` (the default level), `project-1`, `gzip-6`, `gzip-1`, `pigz-6`… */
  readonly samples: Record<string, Sample[]>;
  readonly outputBytes: Record<string, number>;
}

const run = promisify(execFile);

async function commandExists(command: string): Promise<boolean> {
  return run('bash', ['-c', `command -v ${command}`]).then(
    () => true,
    () => false,
  );
}

/**
 * Compresses the CSV of `--rows` customer-like rows `--runs` times: the extractor's compression
 * stage (zlib through `createCompressionStream`) at its default level and at level 1, against
 * `gzip` (and `pigz`, all cores, when installed) at the same levels.
 */
export async function gzipWorker(args: readonly string[]): Promise<GzipResult> {
  const rows = argNumber(args, 'rows');
  const runs = argNumber(args, 'runs');
  const dir = await mkdtemp(path.join(argString(args, 'dir'), 'gzip-'));
  try {
    const input = path.join(dir, 'input.csv');
    const output = path.join(dir, 'output.gz');
    await pipeline(
      Readable.from(pagesOf(customerLikeRows(10_000), rows)),
      new CsvEncodeTransform(benchColumns),
      createWriteStream(input),
    );
    const contenders: Record<string, () => Promise<Sample>> = {};
    for (const level of [6, 1]) {
      contenders[`project-${level}`] = () =>
        timeInProcess(() =>
          pipeline(
            createReadStream(input, { highWaterMark: 1 << 16 }),
            createCompressionStream({ compression: 'gzip', ...(level === 6 ? {} : { level }) }),
            createWriteStream(output),
          ),
        );
      contenders[`gzip-${level}`] = () =>
        timeCommand('bash', ['-c', `gzip -${level} -c < "$0" > "$1"`, input, output]);
      if (await commandExists('pigz')) {
        contenders[`pigz-${level}`] = () =>
          timeCommand('bash', ['-c', `pigz -${level} -c < "$0" > "$1"`, input, output]);
      }
    }
    const samples: Record<string, Sample[]> = {};
    const outputBytes: Record<string, number> = {};
    for (let i = 0; i < runs; i++) {
      for (const [name, measure] of Object.entries(contenders)) {
        (samples[name] ??= []).push(await measure());
        outputBytes[name] = (await stat(output)).size;
      }
    }
    return { inputBytes: (await stat(input)).size, samples, outputBytes };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
