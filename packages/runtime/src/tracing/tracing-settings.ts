/** Where spans go: Cloud Trace in production, a JSON-lines file or the console locally, or nowhere. */
export type TraceExporterKind = 'none' | 'cloud-trace' | 'file' | 'console';

/** Parsed from `TRACE_EXPORTER`, `TRACE_FILE`, `TRACE_SAMPLE_RATIO` by the config package. */
export interface TracingSettings {
  readonly exporter: TraceExporterKind;
  /** `file` only: the JSON-lines file spans are appended to. */
  readonly file?: string;
  /** Share of new traces recorded, 0-1; a message's trace keeps its upstream sampling decision. */
  readonly sampleRatio: number;
}

export const TRACING_OFF: TracingSettings = Object.freeze({ exporter: 'none', sampleRatio: 1 });
