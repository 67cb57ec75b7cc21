import type { ServiceIdentifier } from 'inversify';

/** The extractor's own settings, parsed once at start-up (see `main.ts`). */
export interface ExtractorSettings {
  /** The staging bucket when a config names none (`STAGING_BUCKET`). */
  readonly stagingBucket?: string | undefined;
  /** How long a run's lease lasts before another run may take it over. Default 3600 s. */
  readonly leaseSeconds: number;
}

export const ExtractorSettings: ServiceIdentifier<ExtractorSettings> = Symbol('ExtractorSettings');

export const DEFAULT_LEASE_SECONDS = 3600;
