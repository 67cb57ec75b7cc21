import type { ManifestFormat } from '@bq-sftp-export/config';
import type { ExportEventOf, FileReady } from '@bq-sftp-export/contracts';

/**
 * The manifest's content: a function of the file and its recorded delivery only (no clock), so
 * every attempt — and every resend of the same content — writes the same bytes, and a manifest
 * already on the server compares identical. No row values: names, sizes, hashes, counts, the window.
 *
 * - `json`: `{schema_version, run_id, export_name, config_name, mode, window {low|null, high},
 *   files [{name, size_bytes, sha256, rows, format, compression}], created_at}` (`created_at`:
 *   when the file was staged). `files` lists the delivered file; split parts will be listed there.
 * - `done` / `ok`: one line `<sha256>  <name>`, as `sha256sum` prints it (so `sha256sum -c` checks it).
 */
export function manifestText(
  format: ManifestFormat,
  file: FileReady,
  delivered: ExportEventOf<'upload.delivered'>,
): string {
  const name = delivered.remotePath.slice(delivered.remotePath.lastIndexOf('/') + 1);
  return format === 'json'
    ? `${JSON.stringify(
        {
          schema_version: 1,
          run_id: file.runId,
          export_name: file.exportName,
          config_name: file.configName,
          mode: file.mode,
          window: { low: file.window.low ?? null, high: file.window.high },
          files: [
            {
              name,
              size_bytes: delivered.byteSize,
              sha256: delivered.sha256,
              rows: file.rowCount,
              format: file.format,
              compression: file.compression,
            },
          ],
          created_at: file.createdAt,
        },
        null,
        2,
      )}\n`
    : `${delivered.sha256}  ${name}\n`;
}
