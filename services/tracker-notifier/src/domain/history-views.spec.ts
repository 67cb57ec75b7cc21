import { describe, expect, it } from '@jest/globals';

import { historyTableOf, qualifiedName } from './history-table.js';
import { historyViews } from './history-views.js';

describe('history views', () => {
  const table = historyTableOf('bqx_history.export_metadata', 'my-project');

  it('names the table in the default project when metadata_table has none', () => {
    expect(table).toEqual({ projectId: 'my-project', datasetId: 'bqx_history', tableId: 'export_metadata' });
    expect(historyTableOf('other-project.ds.t', 'my-project').projectId).toBe('other-project');
    expect(qualifiedName(table, '_runs')).toBe('`my-project.bqx_history.export_metadata_runs`');
  });

  it('builds events, runs and exports views, each on the one before, all read-only', () => {
    const views = historyViews(table);
    expect(views.map((view) => view.suffix)).toEqual(['_events', '_runs', '_exports']);
    expect(views[0]!.query).toContain('FROM `my-project.bqx_history.export_metadata`\n');
    expect(views[1]!.query).toContain('FROM `my-project.bqx_history.export_metadata_events`');
    expect(views[2]!.query).toContain('FROM `my-project.bqx_history.export_metadata_runs`');
    for (const view of views) {
      expect(view.query).not.toMatch(/\b(UPDATE|DELETE|MERGE|INSERT)\b/i);
    }
  });
});
