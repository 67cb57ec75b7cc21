import { z } from 'zod';

import { nameSchema } from './common.schema.js';

/**
 * `freshness.tick` v1: a periodic prompt, published by Cloud Scheduler to `export-events`, for
 * tracker-notifier to check that every export of `config` with `notifications.alerts.freshness_seconds`
 * has had a successful run within that window. `{"type": "freshness.tick", "config": "default"}`
 * is complete (an absent `schemaVersion` means 1). Written by people (scheduler bodies), so
 * unknown fields are refused.
 */
export const freshnessTickV1Schema = z.strictObject({
  schemaVersion: z.literal(1).default(1),
  type: z.literal('freshness.tick'),
  /** Config name: `configs/<config>.json` or `gs://…/<config>.json`. */
  config: nameSchema,
});

export type FreshnessTick = z.output<typeof freshnessTickV1Schema>;
export type FreshnessTickInput = z.input<typeof freshnessTickV1Schema>;
