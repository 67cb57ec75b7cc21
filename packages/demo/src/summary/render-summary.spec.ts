import { describe, expect, it } from '@jest/globals';

import { renderSummary } from './render-summary.js';

describe('renderSummary', () => {
  const lines = renderSummary({
    exports: [
      {
        exportName: 'shopify_customers',
        runId: 'run-1',
        step: 'delivered',
        rows: 500,
        fileName: 'S.csv',
        remotePath: '/To_Verite/S.csv',
      },
      { exportName: 'klaviyo_customers', runId: 'run-2', step: 'empty', rows: 0 },
    ],
    remoteDirectory: '/To_Verite',
    deliveryDirectory: '/srv/demo/sftp/To_Verite',
    history: [
      {
        run_id: 'run-1',
        export_name: 'shopify_customers',
        event_type: 'notification.sent',
        export_status: 'notified',
        rows_exported: null,
        file_name: null,
        remote_path: null,
        resend_id: null,
        notification_channel: 'email',
        occurred_at: '2026-11-26T10:00:00Z',
      },
    ],
    historyTable: 'p.dataset.export_metadata',
    emails: { count: 1, directory: '/srv/demo/mail' },
    slack: { count: 0, file: undefined },
    logDirectory: '/srv/demo/logs',
  });

  it('shows where each delivered file is on this machine, and nothing for an export without a file', () => {
    const shopify = lines.find((line) => line.includes('shopify_customers  delivered'));
    expect(shopify).toMatch(/500\s+S\.csv\s+\/srv\/demo\/sftp\/To_Verite\/S\.csv$/);
    expect(lines.find((line) => line.includes('klaviyo_customers  empty'))).toMatch(/0\s+-\s+-$/);
  });

  it('lists the history rows and where notifications and logs are', () => {
    expect(lines).toContain('History (p.dataset.export_metadata_events, 1 rows)');
    expect(lines.some((line) => /shopify_customers\s+notification\.sent\s+notified\s+email/.test(line))).toBe(
      true,
    );
    expect(lines).toContain('  email: 1 message(s) in /srv/demo/mail');
    expect(lines).toContain('  Slack: 0 post(s)');
    expect(lines).toContain('Service logs: /srv/demo/logs');
  });
});
