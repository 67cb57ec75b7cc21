import { z } from 'zod';

import { backfillSchema, exportModeSchema, nameSchema, opaqueIdSchema } from './common.schema.js';

/**
 * `export.requested` v1: run a config's exports. `{"config": "default"}` — the seed's Cloud
 * Scheduler body — is a complete request; an absent `schemaVersion` means 1. Written by people
 * (scheduler bodies, the CLI), so unknown fields are refused: a typo never widens a request.
 */
export const exportRequestedV1Schema = z
  .strictObject({
    schemaVersion: z.literal(1).default(1),
    /** Config name: `configs/<config>.json` or `gs://…/<config>.json`. */
    config: nameSchema,
    /** Only these exports of the config; absent: all of them. */
    exports: z
      .array(nameSchema)
      .min(1, 'expected at least one export name')
      .refine((names) => new Set(names).size === names.length, 'expected no duplicate export names')
      .optional(),
    /** Override every selected export's mode for this run. */
    mode: exportModeSchema.optional(),
    /** Re-export rows in `[from, to)` without moving the watermark. */
    backfill: backfillSchema.optional(),
    requestId: opaqueIdSchema.optional(),
  })
  .refine((request) => request.backfill === undefined || request.mode !== 'full', {
    message: 'expected no backfill with mode "full"',
    path: ['backfill'],
  });

export type ExportRequested = z.output<typeof exportRequestedV1Schema>;
export type ExportRequestedInput = z.input<typeof exportRequestedV1Schema>;
