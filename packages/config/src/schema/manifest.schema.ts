import { z } from 'zod';

import { MANIFEST_FORMATS, manifestNameProblems } from './manifest-name-template.js';

const manifestNameSchema = z.string().superRefine((value, context) => {
  for (const message of manifestNameProblems(value)) context.addIssue({ code: 'custom', message });
});

/** A manifest (or marker) written next to each delivered file, after it, for a partner to poll. */
export const manifestSchema = z
  .strictObject({
    format: z
      .enum(MANIFEST_FORMATS, 'expected "json", "done" or "ok"')
      .describe(
        '"json": a JSON manifest (run, window, files with size, sha256 and rows); "done" / "ok": a marker file holding "<sha256>  <file name>" (sha256sum format).',
      ),
    name: manifestNameSchema
      .optional()
      .describe(
        'Manifest file name in the same directory; {file} (required) is the delivered data file name; {export}, {run_id}, {window_start}, {window_end} may be used. Default "{file}.manifest.json" for json, "{file}.done" / "{file}.ok" for markers.',
      ),
  })
  .describe(
    'Write a manifest after each delivered file (atomically, after the file is in place and recorded). Absent: no manifest.',
  );

export type ManifestInput = z.infer<typeof manifestSchema>;
