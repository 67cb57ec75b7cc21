import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { beforeAll, describe, expect, it } from '@jest/globals';
import { parse as parseYaml } from 'yaml';

import { first, loadTerraform, repoDir, resourcesOf, type Block, type TerraformModule } from './terraform.js';

interface Sizing {
  memory: string;
  heap_mb: number;
  timeout: string;
}

const MiB = 1024 * 1024;
/** The most a heap (old space and young generation) may take of a container's memory. */
const HEAP_SHARE = 0.75;

/** Cloud Run's memory quantities, as run.tf writes them. */
function bytesOf(quantity: string): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`unexpected memory quantity ${quantity}`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 * MiB : MiB);
}

/** V8's whole heap limit (old space plus young generation) of this Node with the cap. */
function heapSizeLimitAt(heapMb: number): number {
  const out = execFileSync(
    process.execPath,
    [`--max-old-space-size=${heapMb}`, '-p', 'v8.getHeapStatistics().heap_size_limit'],
    { env: {}, encoding: 'utf8' },
  );
  return Number(out.trim());
}

let tf: TerraformModule;
let sizing: Record<string, Sizing>;
let container: Block | undefined;
let template: Block | undefined;

beforeAll(async () => {
  tf = await loadTerraform();
  sizing = tf.locals['sizing'] as Record<string, Sizing>;
  template = first(resourcesOf(tf, 'google_cloud_run_v2_service').get('service')?.['template']);
  container = first(template?.['containers']);
});

describe('Cloud Run sizing (local.sizing)', () => {
  it('sizes every service, and the Cloud Run service takes memory, timeout and heap cap from it', () => {
    expect(Object.keys(sizing).sort()).toEqual(Object.keys(tf.locals['services'] as Block).sort());
    expect(template?.['timeout']).toBe('${local.sizing[each.key].timeout}');
    const limits = first(container?.['resources'])?.['limits'] as Block | undefined;
    expect(limits?.['memory']).toBe('${local.sizing[each.key].memory}');
    const env = (container?.['env'] as Block[] | undefined) ?? [];
    expect(env.find((e) => e['name'] === 'NODE_OPTIONS')?.['value']).toBe(
      '--max-old-space-size=${local.sizing[each.key].heap_mb}',
    );
  });

  it("keeps each service's whole V8 heap within 75 % of its memory limit", () => {
    for (const [service, { memory, heap_mb }] of Object.entries(sizing)) {
      const heap = heapSizeLimitAt(heap_mb);
      expect({ service, heapMiB: heap / MiB, within: heap <= HEAP_SHARE * bytesOf(memory) }).toEqual({
        service,
        heapMiB: heap / MiB,
        within: true,
      });
    }
  });

  it("keeps request timeouts within Cloud Run's 3600 s", () => {
    for (const { timeout } of Object.values(sizing)) {
      const seconds = Number(/^(\d+)s$/.exec(timeout)?.[1]);
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(3600);
    }
  });

  it('writes the reason beside every memory and timeout value', () => {
    const block = /\n {2}sizing = \{\n([\s\S]*?)\n {2}\}\n/.exec(
      readFileSync(path.join(repoDir, 'infra', 'run.tf'), 'utf8'),
    );
    const lines = block![1]!.split('\n').map((l) => l.trim());
    const values = lines.flatMap((line, i) => (/^(memory|timeout)\s*=/.test(line) ? [i] : []));
    expect(values).toHaveLength(2 * Object.keys(sizing).length);
    for (const i of values) {
      // The value's own comment is directly above it, or above the value it is grouped with.
      const above = lines.slice(Math.max(0, i - 2), i);
      expect({ line: lines[i], commented: above.some((l) => l.startsWith('#')) }).toEqual({
        line: lines[i],
        commented: true,
      });
    }
  });
});

describe('the same heap caps outside Cloud Run', () => {
  const capOf = (service: string) => sizing[service.replace('-', '_')]!.heap_mb;

  it("defaults the image's cap to the uploader's and tracker-notifier's, and docker-compose gives the extractor its own", () => {
    const dockerfile = readFileSync(path.join(repoDir, 'Dockerfile'), 'utf8');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('AS runtime'));
    expect(runtime).toMatch(/^ENV NODE_OPTIONS=--max-old-space-size=\$\{HEAP_MB\}$/m);
    const imageDefault = Number(/^ARG HEAP_MB=(\d+)$/m.exec(runtime)?.[1]);
    expect([imageDefault, imageDefault]).toEqual([capOf('uploader'), capOf('tracker-notifier')]);

    const compose = parseYaml(readFileSync(path.join(repoDir, 'docker-compose.yml'), 'utf8'), {
      merge: true,
    }) as { services: Record<string, { build?: { args?: Record<string, string> } }> };
    for (const service of ['extractor', 'uploader', 'tracker-notifier']) {
      const args = compose.services[service]?.build?.args ?? {};
      expect({ service, heapMb: Number(args['HEAP_MB'] ?? imageDefault) }).toEqual({
        service,
        heapMb: capOf(service),
      });
    }
  });

  it("gives the demo's child processes the Cloud Run caps (packages/demo SERVICE_HEAP_LIMITS_MB)", () => {
    const source = readFileSync(path.join(repoDir, 'packages/demo/src/stack/service-process.ts'), 'utf8');
    const literal = /SERVICE_HEAP_LIMITS_MB[^=]*= \{([^}]*)\}/.exec(source)?.[1] ?? '';
    const demo = Object.fromEntries(
      [...literal.matchAll(/'?([a-z-]+)'?:\s*(\d+)/g)].map((m) => [m[1]!.replace('-', '_'), Number(m[2])]),
    );
    const cloudRun = Object.fromEntries(Object.entries(sizing).map(([k, v]) => [k, v.heap_mb]));
    expect(demo).toEqual(cloudRun);
  });
});
