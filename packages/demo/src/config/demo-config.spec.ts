import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';

import { validateExportConfig } from '@bq-sftp-export/config';

import { demoConfig } from './demo-config.js';

const seedFile = new URL('../../../../configs/default.json', import.meta.url);

describe('demoConfig', () => {
  it("keeps the seed's exports and sftp block, moves the history table to the local project, adds both sinks", async () => {
    const seed = JSON.parse(await readFile(seedFile, 'utf8')) as Record<string, unknown>;
    const config = demoConfig(seed, { projectId: 'local-project', smtpHost: '127.0.0.1', smtpPort: 2525 });

    expect(config['exports']).toEqual(seed['exports']);
    expect(config['sftp']).toEqual(seed['sftp']);
    expect(config['metadata_table']).toBe('local-project.dataset.export_metadata');
    expect(config).not.toHaveProperty('$schema');
    const valid = validateExportConfig(config, 'default');
    expect(valid.notifications.email?.smtpPort).toBe(2525);
    expect(valid.notifications.slack).toBeDefined();
  });

  it('points the sftp block at another directory when asked', () => {
    const config = demoConfig(
      { metadata_table: 'ops.history', sftp: { path: '/To_Verite', port: 22 }, exports: [] },
      { projectId: 'p', smtpHost: 'h', smtpPort: 1, sftpPath: '/srv/inbox' },
    );
    expect(config['sftp']).toEqual({ path: '/srv/inbox', port: 22 });
    expect(config['metadata_table']).toBe('ops.history');
  });
});
