import path from 'node:path';

import type { ExportProgress } from '../progress/run-progress.js';
import type { HistoryRow } from './history.js';

export interface SummaryInput {
  readonly exports: readonly ExportProgress[];
  /** The remote directory of the seed `sftp` block, and where it is on this machine. */
  readonly remoteDirectory: string;
  readonly deliveryDirectory: string;
  /** History rows of the runs shown. */
  readonly history: readonly HistoryRow[];
  readonly historyTable: string;
  readonly emails: { readonly count: number; readonly directory: string | undefined };
  readonly slack: { readonly count: number; readonly file: string | undefined };
  readonly logDirectory: string;
}

const pad = (text: string, width: number): string => text.padEnd(width);

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: readonly string[]): string =>
    `  ${cells.map((cell, i) => pad(cell, widths[i] ?? 0)).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)];
}

/** The summary printed at the end of a demo run, as lines. */
export function renderSummary(input: SummaryInput): string[] {
  const lines: string[] = ['', 'Exports'];
  lines.push(
    ...table(
      ['export', 'result', 'rows', 'file', 'on this machine'],
      input.exports.map((entry) => [
        entry.exportName,
        entry.step,
        String(entry.rows ?? 0),
        entry.fileName ?? '-',
        entry.remotePath === undefined
          ? '-'
          : path.join(input.deliveryDirectory, path.posix.relative(input.remoteDirectory, entry.remotePath)),
      ]),
    ),
  );
  lines.push('', `History (${input.historyTable}_events, ${input.history.length} rows)`);
  lines.push(
    ...table(
      ['export', 'event', 'status', 'rows', 'file / channel'],
      input.history.map((row) => [
        row.export_name,
        row.event_type ?? '-',
        row.export_status,
        row.rows_exported === null ? '' : String(row.rows_exported),
        row.notification_channel ?? row.file_name ?? '',
      ]),
    ),
  );
  lines.push('', 'Notifications');
  lines.push(
    `  email: ${input.emails.count} message(s)${input.emails.directory === undefined ? '' : ` in ${input.emails.directory}`}`,
  );
  lines.push(
    `  Slack: ${input.slack.count} post(s)${input.slack.file === undefined ? '' : ` in ${input.slack.file}`}`,
  );
  lines.push('', `Service logs: ${input.logDirectory}`);
  return lines;
}
