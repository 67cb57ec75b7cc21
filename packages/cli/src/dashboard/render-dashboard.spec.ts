import { describe, expect, it } from '@jest/globals';

import type { HistorySnapshot } from './history-snapshot.js';
import { html } from './html.js';
import { renderDashboard } from './render-dashboard.js';

const HOSTILE = `<x y="1" onload='z'>&amp;`;
const ESCAPED = '&lt;x y=&quot;1&quot; onload=&#39;z&#39;&gt;&amp;amp;';

/** A snapshot whose every text field, including each status, comes from an attacker. */
function hostileSnapshot(): HistorySnapshot {
  const at = '2026-01-05T08:00:00.000Z';
  return {
    configName: HOSTILE,
    historyTable: HOSTILE,
    readAt: '2026-01-05T09:00:00.000Z',
    since: '2025-12-06T09:00:00.000Z',
    configuredExports: [HOSTILE],
    runs: [
      {
        exportName: HOSTILE,
        runId: HOSTILE,
        status: HOSTILE,
        lastEventType: HOSTILE,
        lastEventAt: at,
        startedAt: at,
        completedAt: at,
        rows: 3,
        bytes: 10,
        errorCode: HOSTILE,
        fileName: HOSTILE,
      },
    ],
    failures: [
      {
        occurredAt: HOSTILE,
        exportName: HOSTILE,
        runId: HOSTILE,
        eventType: HOSTILE,
        status: HOSTILE,
        errorCode: HOSTILE,
        errorMessage: HOSTILE,
        attempt: 2,
      },
    ],
    exports: [
      {
        exportName: HOSTILE,
        sourceTable: HOSTILE,
        lastRunStatus: HOSTILE,
        lastRunAt: HOSTILE,
        lastErrorCode: HOSTILE,
        lastSuccessAt: at,
        lastDeliveredAt: HOSTILE,
        rows: 3,
        bytes: 10,
        fileName: HOSTILE,
        remotePath: HOSTILE,
        sha256: HOSTILE,
      },
    ],
  };
}

describe('renderDashboard', () => {
  it('escapes every value from the history, in text and in attributes', () => {
    const markup = renderDashboard(hostileSnapshot(), {
      default: { everyMs: 86_400_000, graceMs: 7_200_000 },
      byExport: {},
    });
    expect(markup).not.toContain('<x');
    expect(markup).not.toContain(`'z'`);
    expect(markup).not.toContain('y="1"');
    // Names, codes, messages, paths and ids each appear, escaped (the sha256 cut to 12 characters).
    expect(markup.split(ESCAPED).length - 1).toBeGreaterThanOrEqual(20);
  });

  it('allows no script and no request: a CSP of default-src none, styles inline', () => {
    const markup = renderDashboard(hostileSnapshot(), {
      default: { everyMs: 3_600_000, graceMs: 0 },
      byExport: {},
    });
    expect(markup).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(markup).not.toMatch(/<script|<link|<img|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });
});

describe('html', () => {
  it('escapes interpolations, nests html results as markup, joins arrays and drops null', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"x"'}">${inner}${[1, '&', null]}${undefined}</p>`.markup).toBe(
      '<p title="&quot;x&quot;"><b>&lt;i&gt;</b>1&amp;</p>',
    );
  });
});
