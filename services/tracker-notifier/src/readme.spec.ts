import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import { HISTORY_COLUMNS } from './domain/history-columns.js';
import { historyTableOf } from './domain/history-table.js';
import { historyViews } from './domain/history-views.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('documents every history column, in table order', () => {
    const documented = [...readme.matchAll(/^\| `([a-z_0-9]+)` +\| (?:STRING|INT64|TIMESTAMP|BOOL)/gm)].map(
      (match) => match[1],
    );
    expect(documented).toEqual(HISTORY_COLUMNS.map((column) => column.name));
  });

  it('ships the SQL of every view exactly as the service creates it', () => {
    for (const view of historyViews(historyTableOf('project.dataset.export_metadata', 'unused'))) {
      expect(readme).toContain(
        `CREATE OR REPLACE VIEW \`project.dataset.export_metadata${view.suffix}\` AS\n${view.query}\n`,
      );
    }
  });
});
