import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from '@jest/globals';
import { parse as parseYaml } from 'yaml';

import { parseEnvironment } from '@bq-sftp-export/config';

import { repoDir } from './terraform.js';

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions with line continuations joined and comments dropped. */
function dockerfileInstructions(text: string): Instruction[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

describe('Dockerfile', () => {
  const instructions = dockerfileInstructions(readFileSync(path.join(repoDir, 'Dockerfile'), 'utf8'));
  const stages = instructions.reduce<Instruction[][]>((acc, ins) => {
    if (ins.keyword === 'FROM') acc.push([]);
    acc.at(-1)?.push(ins);
    return acc;
  }, []);
  const runtime = stages.at(-1)!;

  it('builds on Node 24 slim', () => {
    const nodeImage = instructions.find((i) => i.keyword === 'ARG' && i.args.startsWith('NODE_IMAGE='));
    expect(nodeImage?.args).toBe('NODE_IMAGE=node:24-slim');
    expect(runtime[0]?.args).toMatch(/^\$\{NODE_IMAGE\} AS runtime$/);
  });

  it('is multi-stage from a pruned workspace with production dependencies only', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(instructions.some((i) => i.keyword === 'RUN' && /turbo@[\d.]+ prune/.test(i.args))).toBe(true);
    expect(instructions.some((i) => i.keyword === 'RUN' && /deploy --prod/.test(i.args))).toBe(true);
    expect(runtime.some((i) => i.keyword === 'COPY' && i.args.includes('--from=builder'))).toBe(true);
    expect(runtime.some((i) => i.keyword === 'RUN')).toBe(false);
  });

  it('runs as a non-root user, set before the entrypoint', () => {
    const userIndex = runtime.findIndex((i) => i.keyword === 'USER');
    const entryIndex = runtime.findIndex((i) => i.keyword === 'ENTRYPOINT');
    expect(userIndex).toBeGreaterThan(0);
    expect(runtime[userIndex]!.args).not.toMatch(/^(root|0)(:|$)/);
    expect(entryIndex).toBeGreaterThan(userIndex);
  });

  it('starts node in exec form, so SIGTERM reaches it', () => {
    const entry = runtime.find((i) => i.keyword === 'ENTRYPOINT')!;
    const argv = JSON.parse(entry.args) as string[];
    expect(argv[0]).toBe('node');
    expect(runtime.some((i) => i.keyword === 'CMD' && !i.args.startsWith('['))).toBe(false);
  });

  it('ships every workspace package through pnpm deploy with its build ("files": ["dist"])', () => {
    for (const group of ['packages', 'services']) {
      for (const name of readdirSync(path.join(repoDir, group), { withFileTypes: true })) {
        if (!name.isDirectory()) continue;
        const manifest = JSON.parse(
          readFileSync(path.join(repoDir, group, name.name, 'package.json'), 'utf8'),
        ) as {
          name: string;
          files?: string[];
        };
        expect({ name: manifest.name, files: manifest.files }).toEqual({
          name: manifest.name,
          files: ['dist'],
        });
      }
    }
  });

  it('listens on all interfaces (BIND_HOST=0.0.0.0), since the runtime defaults to the loopback', () => {
    const env = runtime.filter((i) => i.keyword === 'ENV').map((i) => i.args);
    expect(env.join(' ').split(/\s+/)).toContain('BIND_HOST=0.0.0.0');
  });

  it('checks the health endpoint', () => {
    const health = runtime.find((i) => i.keyword === 'HEALTHCHECK');
    expect(health?.args).toContain('/healthz');
  });
});

describe('docker-compose.yml', () => {
  const compose = parseYaml(readFileSync(path.join(repoDir, 'docker-compose.yml'), 'utf8'), {
    merge: true,
  }) as {
    services: Record<string, { image?: string; environment?: Record<string, string>; command?: string[] }>;
  };
  const services = compose.services;

  it('runs the official emulators and the well-known fakes', () => {
    expect(services['pubsub']?.image).toMatch(
      /^gcr\.io\/google\.com\/cloudsdktool\/google-cloud-cli:emulators/,
    );
    expect(services['gcs']?.image).toMatch(/^fsouza\/fake-gcs-server:/);
    expect(services['bigquery']?.image).toMatch(/^ghcr\.io\/goccy\/bigquery-emulator:/);
    expect(services['mailpit']?.image).toMatch(/^axllent\/mailpit:/);
    expect(services['sftp']?.image).toBeDefined();
  });

  it('wires the three services and the one-shot setup to them', () => {
    for (const name of ['extractor', 'uploader', 'tracker-notifier', 'setup']) {
      const env = services[name]?.environment ?? {};
      expect({ name, pubsub: env['PUBSUB_EMULATOR_HOST'] }).toEqual({ name, pubsub: 'pubsub:8085' });
      expect(env['STORAGE_EMULATOR_HOST']).toBe('http://gcs:4443');
      expect(env['BIGQUERY_EMULATOR_HOST']).toBe('http://bigquery:9050');
      expect(env['GOOGLE_CLOUD_PROJECT']).toBe('local-project');
    }
    expect(services['uploader']?.environment?.['SUBSCRIPTION']).toBe('uploader.file-ready');
  });

  it('gives each service an environment its config package accepts', () => {
    for (const name of ['extractor', 'uploader', 'tracker-notifier', 'setup']) {
      const env = services[name]?.environment ?? {};
      expect(() => parseEnvironment(env)).not.toThrow();
      expect(parseEnvironment(env).stagingBucket).toBe('bqx-staging');
    }
    const uploader = parseEnvironment(services['uploader']?.environment ?? {});
    expect(uploader.sftpHost).toBe('sftp');
    expect(uploader.secrets.get('SFTP_PASSWORD')).toBeDefined();
  });
});
