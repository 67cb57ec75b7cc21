import { MAX_DELIVERY_ATTEMPTS } from '@bq-sftp-export/contracts';
import type { ErrorInfo, ExportEvent } from '@bq-sftp-export/contracts';

/** Where one export of the request stands. */
export interface ExportProgress {
  readonly exportName: string;
  readonly runId?: string;
  readonly step: 'waiting' | 'extracting' | 'staged' | 'delivered' | 'empty' | 'skipped' | 'failed';
  readonly rows?: number;
  readonly fileName?: string;
  readonly byteSize?: number;
  readonly remotePath?: string;
  readonly error?: ErrorInfo & { readonly step: 'extract' | 'upload' };
}

const SETTLED: ReadonlySet<ExportProgress['step']> = new Set(['delivered', 'empty', 'skipped', 'failed']);

/** A failure that will not be retried: not retryable, or on Pub/Sub's last delivery attempt. */
function isFinal(error: ErrorInfo, attempt: number | undefined): boolean {
  return !error.retryable || (attempt ?? 1) >= MAX_DELIVERY_ATTEMPTS;
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

/**
 * Follows one `export.requested` through the `export.events` it causes: one entry per export,
 * moved along by each event and described in one progress line. A run is recognised by the
 * request's `requestId` on `extract.started`; events of runs it has not seen start are taken
 * for an export still waiting (a failure before the start), others are ignored.
 */
export class RunProgress {
  readonly #exports = new Map<string, ExportProgress>();
  #rowsSoFar = 0;

  constructor(
    private readonly configName: string,
    exportNames: readonly string[],
    private readonly requestId: string,
  ) {
    for (const exportName of exportNames) this.#exports.set(exportName, { exportName, step: 'waiting' });
  }

  /** Applies an event; returns the progress line it is worth, or undefined for another run's. */
  apply(event: ExportEvent): string | undefined {
    if (event.configName !== this.configName) return undefined;
    const current = this.#exports.get(event.exportName);
    if (current === undefined) return undefined;
    if (event.type === 'extract.started') {
      if (event.requestId !== this.requestId) return undefined;
      // Events of one run come from two services on one topic, in any order: an upload's
      // outcome may arrive before the extractor's start. A later start never moves it back.
      if (current.runId === event.runId) return undefined;
      this.#exports.set(event.exportName, {
        exportName: event.exportName,
        runId: event.runId,
        step: 'extracting',
      });
      return `${event.exportName}: extracting ${event.sourceTable} (${event.mode}, window up to ${event.window.high})`;
    }
    if (current.runId === undefined ? current.step !== 'waiting' : current.runId !== event.runId)
      return undefined;
    const next = { ...current, runId: event.runId };
    switch (event.type) {
      case 'extract.staged':
        this.#rowsSoFar += event.file.rowCount;
        this.#exports.set(event.exportName, {
          ...next,
          step: SETTLED.has(current.step) ? current.step : 'staged',
          rows: event.file.rowCount,
          fileName: event.file.fileName,
          byteSize: event.file.byteSize,
        });
        return `${event.exportName}: staged ${event.file.rowCount} rows as ${event.file.fileName} (${kib(event.file.byteSize)}); ${this.#rowsSoFar} rows so far`;
      case 'extract.empty':
        this.#exports.set(event.exportName, { ...next, step: 'empty', rows: 0 });
        return `${event.exportName}: no new rows in the window; nothing to deliver`;
      case 'extract.skipped':
        this.#exports.set(event.exportName, { ...next, step: 'skipped' });
        return `${event.exportName}: skipped, another run holds the export's lease`;
      case 'upload.delivered':
        if (event.resendId !== undefined) return undefined;
        this.#exports.set(event.exportName, {
          ...next,
          step: 'delivered',
          rows: event.rowCount ?? current.rows ?? 0,
          fileName: event.fileName,
          byteSize: event.byteSize,
          remotePath: event.remotePath,
        });
        return `${event.exportName}: delivered ${event.remotePath} (${kib(event.byteSize)}, attempt ${event.attempt})`;
      case 'extract.failed':
      case 'upload.failed': {
        const step = event.type === 'extract.failed' ? 'extract' : 'upload';
        if (!isFinal(event.error, event.attempt)) {
          return `${event.exportName}: ${step} attempt ${event.attempt ?? 1} failed (${event.error.code}); Pub/Sub will retry`;
        }
        this.#exports.set(event.exportName, { ...next, step: 'failed', error: { ...event.error, step } });
        return `${event.exportName}: ${step} FAILED: ${event.error.code}: ${event.error.message}`;
      }
      default:
        return undefined;
    }
  }

  /** True once every export has delivered, found nothing new, been skipped or failed for good. */
  settled(): boolean {
    return [...this.#exports.values()].every((entry) => SETTLED.has(entry.step));
  }

  exports(): readonly ExportProgress[] {
    return [...this.#exports.values()];
  }

  failures(): readonly ExportProgress[] {
    return this.exports().filter((entry) => entry.step === 'failed');
  }

  runIds(): readonly string[] {
    return this.exports().flatMap((entry) => (entry.runId === undefined ? [] : [entry.runId]));
  }
}
