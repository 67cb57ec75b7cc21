import { formatBytes, formatCount, formatDuration, formatTime } from './format.js';
import type { Schedule } from './freshness.js';
import { freshness } from './freshness.js';
import type { ExportState, FailureEvent, HistorySnapshot, RunPoint } from './history-snapshot.js';
import type { SafeHtml } from './html.js';
import { html } from './html.js';
import type { Tone } from './svg-charts.js';
import { barChart, countChart } from './svg-charts.js';

/** Each export's schedule: a default and per-export overrides. */
export interface Schedules {
  readonly default: Schedule;
  readonly byExport: Readonly<Record<string, Schedule>>;
}

function tone(status: string): Tone {
  if (status === 'success') return 'success';
  if (status === 'failed') return 'failed';
  if (status === 'retrying') return 'retrying';
  if (status === 'running' || status === 'staged') return 'pending';
  return 'other';
}

function durationMs(run: RunPoint): number | undefined {
  if (run.startedAt === undefined || run.completedAt === undefined) return undefined;
  const ms = Date.parse(run.completedAt) - Date.parse(run.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

function badge(status: string | undefined): SafeHtml {
  return status === undefined ? html`` : html`<span class="badge tone-${tone(status)}">${status}</span>`;
}

const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2330;background:#f6f7f9}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:0 0 8px}
.meta{color:#5b6474;margin:0 0 20px}
section{background:#fff;border:1px solid #dde1e7;border-radius:6px;padding:14px 16px;margin:0 0 16px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eceff3;vertical-align:top}
th{font-weight:600;color:#5b6474;font-size:12px}td.num{text-align:right;font-variant-numeric:tabular-nums}
code{font-size:12px}.charts{display:flex;flex-wrap:wrap;gap:12px}.chart{margin:0}
.badge{display:inline-block;padding:0 6px;border-radius:9px;font-size:12px;color:#fff}
.badge.tone-success,.badge.fresh{background:#2e7d32}.badge.tone-failed,.badge.late{background:#c62828}
.badge.tone-retrying{background:#ef6c00}.badge.tone-pending{background:#1565c0}.badge.tone-other,.badge.never{background:#6b7280}
rect.bar.tone-success{fill:#43a047}rect.bar.tone-failed{fill:#e53935}rect.bar.tone-retrying{fill:#fb8c00}
rect.bar.tone-pending{fill:#1e88e5}rect.bar.tone-other{fill:#9ca3af}
.chart-title{font-size:12px;font-weight:600;fill:#1d2330}.axis{font-size:10px;fill:#5b6474}.baseline{stroke:#c3c9d2}
.legend span{margin-right:12px;font-size:12px}.error{color:#b71c1c}
`;

function exportRow(
  name: string,
  state: ExportState | undefined,
  runs: readonly RunPoint[],
  schedule: Schedule,
  now: Date,
): SafeHtml {
  const fresh = freshness(state?.lastSuccessAt, now, schedule);
  const failed = runs.filter((run) => run.status === 'failed').length;
  const delivered = runs.filter((run) => run.lastEventType === 'upload.delivered').length;
  const file =
    state?.fileName === undefined
      ? html`<span class="meta">none delivered</span>`
      : html`<code>${state.fileName}</code
          ><br />${state.rows === undefined ? '' : `${formatCount(state.rows)} rows`}${state.bytes === undefined ? '' : `, ${formatBytes(state.bytes)}`}<br />${formatTime(state.lastDeliveredAt)}${state.remotePath === undefined ? '' : html`<br /><code>${state.remotePath}</code>`}${state.sha256 === undefined ? '' : html`<br /><code title="${state.sha256}">sha256 ${state.sha256.slice(0, 12)}…</code>`}`;
  return html`<tr data-export="${name}">
    <td>
      <strong>${name}</strong
      >${state?.sourceTable === undefined ? '' : html`<br /><code>${state.sourceTable}</code>`}
    </td>
    <td>
      <span class="badge ${fresh.state}" data-freshness="${fresh.state}">${fresh.state}</span
      >${fresh.ageMs === undefined ? '' : html`<br />${formatDuration(fresh.ageMs)} ago`}
    </td>
    <td>every ${formatDuration(schedule.everyMs)}<br />+ ${formatDuration(schedule.graceMs)} grace</td>
    <td>${badge(state?.lastRunStatus)}<br />${formatTime(state?.lastRunAt)}</td>
    <td class="error">${state?.lastErrorCode ?? ''}</td>
    <td class="num" data-runs="${runs.length}">${runs.length}</td>
    <td class="num">${delivered}</td>
    <td class="num" data-failed="${failed}">${failed}</td>
    <td>${file}</td>
  </tr>`;
}

function exportCharts(name: string, runs: readonly RunPoint[]): SafeHtml {
  const ordered = [...runs].reverse();
  const label = (run: RunPoint): string => `${formatTime(run.lastEventAt)} ${run.runId} ${run.status}`;
  const first = formatTime(ordered[0]?.lastEventAt);
  const last = formatTime(ordered.at(-1)?.lastEventAt);
  const chart = (
    title: string,
    value: (run: RunPoint) => number | undefined,
    format: (n: number) => string,
  ) =>
    barChart({
      title,
      bars: ordered.map((run) => ({ label: label(run), value: value(run) ?? 0, tone: tone(run.status) })),
      format,
      firstLabel: first,
      lastLabel: last,
    });
  return html`<section class="export" data-export="${name}">
    <h2>${name}</h2>
    <div class="charts">
      ${chart('rows per run', (run) => run.rows, formatCount)}${chart('bytes per run', (run) => run.bytes, formatBytes)}${chart('duration per run', durationMs, formatDuration)}
    </div>
  </section>`;
}

function failureSection(failures: readonly FailureEvent[]): SafeHtml {
  const byCode = new Map<string, number>();
  for (const failure of failures) {
    const code = failure.errorCode ?? '(no code)';
    byCode.set(code, (byCode.get(code) ?? 0) + 1);
  }
  const bars = [...byCode.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([label, value]) => ({ label, value }));
  const rows = failures.map(
    (failure) =>
      html`<tr class="failure">
        <td>${formatTime(failure.occurredAt)}</td>
        <td>${failure.exportName}</td>
        <td><code>${failure.runId ?? ''}</code></td>
        <td>${failure.eventType}${failure.attempt === undefined ? '' : ` (attempt ${failure.attempt})`}</td>
        <td>${badge(failure.status)}</td>
        <td class="error"><code>${failure.errorCode ?? ''}</code></td>
        <td>${failure.errorMessage ?? ''}</td>
      </tr>`,
  );
  return html`<section id="failures">
    <h2>Failures (${failures.length})</h2>
    ${countChart('failures by error code', bars)}${
      failures.length === 0
        ? html`<p class="meta">No failed step in this window.</p>`
        : html`<table>
            <thead>
              <tr>
                <th>time</th>
                <th>export</th>
                <th>run</th>
                <th>step</th>
                <th>status</th>
                <th>code</th>
                <th>message</th>
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table>`
    }
  </section>`;
}

/**
 * The whole dashboard: one self-contained HTML page (inline CSS and SVG, no script, no request
 * to anywhere: its Content-Security-Policy forbids both). Every value from the history goes
 * through `html`'s escaping.
 */
export function renderDashboard(snapshot: HistorySnapshot, schedules: Schedules): string {
  const now = new Date(snapshot.readAt);
  const names = [
    ...new Set([
      ...snapshot.configuredExports,
      ...snapshot.exports.map((state) => state.exportName),
      ...snapshot.runs.map((run) => run.exportName),
    ]),
  ];
  const runsOf = (name: string): RunPoint[] => snapshot.runs.filter((run) => run.exportName === name);
  const stateOf = (name: string): ExportState | undefined =>
    snapshot.exports.find((state) => state.exportName === name);
  const scheduleOf = (name: string): Schedule => schedules.byExport[name] ?? schedules.default;
  const page = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>bq-sftp-export: ${snapshot.configName}</title>
        <style>
          ${CSS}
        </style>
      </head>
      <body>
        <h1>bq-sftp-export: <span id="config-name">${snapshot.configName}</span></h1>
        <p class="meta">
          History <code>${snapshot.historyTable}</code> · runs since ${formatTime(snapshot.since)} · read
          ${formatTime(snapshot.readAt)} · ${snapshot.runs.length} runs, ${snapshot.failures.length} failed
          steps
        </p>
        <section id="exports">
          <h2>Exports</h2>
          <table>
            <thead>
              <tr>
                <th>export</th>
                <th>freshness</th>
                <th>schedule</th>
                <th>last run</th>
                <th>last error</th>
                <th>runs</th>
                <th>delivered</th>
                <th>failed</th>
                <th>latest delivered file</th>
              </tr>
            </thead>
            <tbody>
              ${names.map((name) => exportRow(name, stateOf(name), runsOf(name), scheduleOf(name), now))}
            </tbody>
          </table>
          <p class="legend">
            <span class="badge tone-success">success</span> <span class="badge tone-failed">failed</span>
            <span class="badge tone-retrying">retrying</span>
            <span class="badge tone-pending">running / staged</span>
            <span class="badge tone-other">skipped / duplicate</span>
          </p>
        </section>
        ${names.map((name) => exportCharts(name, runsOf(name)))} ${failureSection(snapshot.failures)}
        <p class="meta">Figures, statuses and error codes only: no exported row value, no credential.</p>
      </body>
    </html> `;
  return page.markup;
}
