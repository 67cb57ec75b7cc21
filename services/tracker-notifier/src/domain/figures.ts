import type { RunNotification } from './run-notification.js';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `512 B`, `1.5 KiB`, `2.0 GiB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** `850 ms`, `12.3 s`, `4 min 05 s`, `2 h 03 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} min ${String(whole % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

const OUTCOME_TITLES: Readonly<Record<RunNotification['outcome'], string>> = {
  success: 'succeeded',
  failure: 'FAILED',
  recovery: 'recovered',
};

/** `shopify_customers succeeded`, `shopify_customers FAILED`, `shopify_customers recovered`. */
export function headline(notification: RunNotification): string {
  const title = `${notification.exportName} ${OUTCOME_TITLES[notification.outcome]}`;
  if (notification.title === undefined) return title;
  return `${notification.severity === 'high' ? 'HIGH SEVERITY: ' : ''}${title}: ${notification.title}`;
}

/**
 * The figures of a notification as label/value pairs in a fixed order, shared by the email and
 * Slack renderings: export, status, rows, file, bytes, duration, window, run, cause.
 */
export function figuresOf(notification: RunNotification): readonly (readonly [string, string])[] {
  const figures: [string, string][] = [
    ['Export', `${notification.exportName} (config ${notification.configName})`],
    ['Status', notification.status],
  ];
  if (notification.severity !== undefined) figures.push(['Severity', notification.severity.toUpperCase()]);
  if (notification.rows !== undefined) figures.push(['Rows', notification.rows.toLocaleString('en-US')]);
  if (notification.fileName !== undefined) figures.push(['File', notification.fileName]);
  if (notification.byteSize !== undefined) {
    figures.push([
      'Bytes',
      `${notification.byteSize.toLocaleString('en-US')} (${formatBytes(notification.byteSize)})`,
    ]);
  }
  if (notification.durationMs !== undefined)
    figures.push(['Duration', formatDuration(notification.durationMs)]);
  if (notification.window !== undefined) {
    figures.push(['Window', `[${notification.window.low ?? 'beginning'}, ${notification.window.high})`]);
  }
  if (notification.attempt !== undefined) figures.push(['Attempt', String(notification.attempt)]);
  figures.push(['Run', notification.runId]);
  figures.push(['At', notification.occurredAt]);
  if (notification.cause !== undefined) {
    figures.push(['Cause', `${notification.cause.code}: ${notification.cause.message}`]);
  }
  return figures;
}
