import { describe, expect, it } from '@jest/globals';

import { historyRowOf } from './history-row.js';
import { lateRowsAlertOf, renderLateRowsEmail, renderLateRowsSlack } from './late-rows-alert.js';
import { events, runFacts } from './testing/events.js';

const run = runFacts('run-1');

describe('lateRowsAlertOf', () => {
  it('alerts for an extract that counted late rows, with the backfill that delivers them', () => {
    const alert = lateRowsAlertOf({ ...events.staged(run), lateRows: 1234 });
    expect(alert).toMatchObject({
      exportName: 'shopify_customers',
      lateRows: 1234,
      window: { low: '2026-11-25T05:00:00.000Z' },
      commands: [
        'bq-sftp trigger --config default --export shopify_customers --from 2026-11-18T05:00:00.000Z --to 2026-11-25T05:00:00.000Z',
      ],
    });
  });

  it('stays quiet for zero, an unknown count, no count, and other events', () => {
    expect(lateRowsAlertOf({ ...events.staged(run), lateRows: 0 })).toBeUndefined();
    expect(lateRowsAlertOf({ ...events.empty(run), lateRows: -2 })).toBeUndefined();
    expect(
      lateRowsAlertOf({ ...events.empty(run), lateRows: null, lateRowsReason: 'count_failed' }),
    ).toBeUndefined();
    expect(lateRowsAlertOf(events.staged(run))).toBeUndefined();
    expect(lateRowsAlertOf(events.delivered(run))).toBeUndefined();
  });
});

describe('rendering the late-rows alert', () => {
  const alert = lateRowsAlertOf({ ...events.empty(run), lateRows: 1234 })!;

  it('says how many rows, where the watermark is and how to recover, in both email parts', () => {
    const email = renderLateRowsEmail(alert);
    expect(email.subject).toBe(
      '[bq-sftp-export] shopify_customers: 1,234 rows arrived below the watermark, 2026-11-26',
    );
    for (const part of [email.text, email.html]) {
      expect(part).toContain('1,234');
      expect(part).toContain('2026-11-25T05:00:00.000Z');
      expect(part).toContain('settle_delay_seconds');
      expect(part).toContain('lookback_seconds');
      expect(part).toContain('bq-sftp trigger --config default --export shopify_customers');
    }
    expect(email.text).toContain('Watermark: 2026-11-25T05:00:00.000Z');
    expect(email.html).toContain(
      '<th align="left" style="padding:2px 12px 2px 0">Late rows</th><td>1,234</td>',
    );
  });

  it('posts a Slack header, figures and the advice, escaped', () => {
    const slack = renderLateRowsSlack({ ...alert, sourceTable: 'a<b>&c' });
    expect(slack.text).toBe('shopify_customers: 1,234 rows arrived below the watermark (run run-1)');
    expect(slack.blocks[0]).toEqual({
      type: 'header',
      text: {
        type: 'plain_text',
        text: ':warning: shopify_customers: 1,234 rows arrived below the watermark',
      },
    });
    const text = JSON.stringify(slack.blocks);
    expect(text).toContain('a&lt;b&gt;&amp;c');
    expect(text).toContain('lookback_seconds');
    expect(text).toContain('```bq-sftp trigger');
  });
});

describe('the late_rows history column', () => {
  it('holds the count of staged and empty extracts, NULL when unknown or for other events', () => {
    const at = new Date('2026-11-26T06:00:00Z');
    expect(historyRowOf({ ...events.staged(run), lateRows: 5 }, at).late_rows).toBe(5);
    expect(historyRowOf({ ...events.empty(run), lateRows: 0 }, at).late_rows).toBe(0);
    expect(
      historyRowOf({ ...events.empty(run), lateRows: null, lateRowsReason: 'no_previous_snapshot' }, at)
        .late_rows,
    ).toBeNull();
    expect(historyRowOf(events.staged(run), at).late_rows).toBeNull();
    expect(historyRowOf(events.delivered(run), at).late_rows).toBeNull();
  });
});
