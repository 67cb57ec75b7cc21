import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { SERVICE_HEAP_LIMITS_MB, SERVICE_NAMES, startService } from './service-process.js';

const MB = 1024 * 1024;

/** V8's heap limit (old space plus the young generation) of a node started with `flags`. */
function heapSizeLimitOf(flags: readonly string[]): number {
  const out = execFileSync(process.execPath, [...flags, '-p', 'v8.getHeapStatistics().heap_size_limit'], {
    env: {},
    encoding: 'utf8',
  });
  return Number(out.trim());
}

// A stand-in `services/<name>/dist/main.js` that logs V8's heap limit and the line startService
// waits for, then exits: the heap limit it reports is the one the child really runs with.
const probe = `
const v8 = require('node:v8');
const limit = v8.getHeapStatistics().heap_size_limit;
console.log(JSON.stringify({ message: 'service started', heapSizeLimit: limit }));
`;

let repoRoot: string;

beforeAll(async () => {
  repoRoot = await mkdtemp(path.join(os.tmpdir(), 'service-process-'));
  for (const name of SERVICE_NAMES) {
    const dist = path.join(repoRoot, 'services', name, 'dist');
    await mkdir(dist, { recursive: true });
    await writeFile(path.join(dist, 'main.js'), probe);
    await writeFile(path.join(dist, 'package.json'), '{"type": "commonjs"}');
  }
});

afterAll(async () => {
  await rm(repoRoot, { recursive: true, force: true });
});

describe('startService', () => {
  it.each(SERVICE_NAMES)('runs %s with its heap cap, whatever the environment holds', async (name) => {
    const logDirectory = path.join(repoRoot, 'logs');
    const service = await startService(name, { repoRoot, env: {}, logDirectory });
    await service.started;
    expect(await service.exited).toEqual({ code: 0, signal: null });

    const line = (await readFile(service.logFile, 'utf8'))
      .split('\n')
      .filter((l) => l !== '')
      .at(-1)!;
    const { heapSizeLimit } = JSON.parse(line) as { heapSizeLimit: number };
    // The limit of a node given the flag directly, and below the one V8 picks on its own here.
    const capped = heapSizeLimitOf([`--max-old-space-size=${SERVICE_HEAP_LIMITS_MB[name]}`]);
    expect(heapSizeLimit / MB).toBe(capped / MB);
    expect(heapSizeLimit).toBeGreaterThanOrEqual(SERVICE_HEAP_LIMITS_MB[name] * MB);
    expect(heapSizeLimit).toBeLessThan(heapSizeLimitOf([]));
  });
});
