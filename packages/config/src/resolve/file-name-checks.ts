import type { MessageProblem } from '@bq-sftp-export/contracts';

import { templateDiffersPerRun, widestFileName, widestRunId } from '../schema/file-name-template.js';
import { renderTempName } from '../schema/temp-name-template.js';
import type { ExportConfig } from './export-config.js';

/** What file systems allow in one name (NAME_MAX), in bytes; the uploader refuses longer names. */
export const MAX_FILE_NAME_BYTES = 255;

/**
 * Exports whose delivered name or temporary name can exceed 255 bytes (UTF-8) with every
 * placeholder at its widest: every run of such an export would fail at upload.
 */
export function fileNameLengthProblems(config: ExportConfig): MessageProblem[] {
  const problems: MessageProblem[] = [];
  config.exports.forEach((entry, index) => {
    const path = `exports[${index}].destination_filename`;
    const destination = config.destinations[entry.destination];
    const name = `${widestFileName(entry.fileNameTemplate, entry.name)}${destination?.pgp?.fileSuffix ?? ''}`;
    const nameBytes = Buffer.byteLength(name, 'utf8');
    if (nameBytes > MAX_FILE_NAME_BYTES) {
      problems.push({
        path,
        message: `export "${entry.name}": the delivered name renders up to ${nameBytes} bytes (UTF-8); expected at most ${MAX_FILE_NAME_BYTES}`,
      });
      return;
    }
    if (destination === undefined) return;
    const tempBytes = Buffer.byteLength(renderTempName(destination.tempName, name, widestRunId()), 'utf8');
    if (tempBytes > MAX_FILE_NAME_BYTES) {
      problems.push({
        path,
        message: `export "${entry.name}": the temporary name (temp_name of destination "${destination.name}") renders up to ${tempBytes} bytes (UTF-8); expected at most ${MAX_FILE_NAME_BYTES}`,
      });
    }
  });
  return problems;
}

/**
 * Advice that does not make a config invalid: exports whose file name is the same for two runs
 * started in the same second (or day), so the second run's upload would meet the first's file.
 */
export function exportConfigWarnings(config: ExportConfig): MessageProblem[] {
  return config.exports.flatMap((entry, index) =>
    templateDiffersPerRun(entry.fileNameTemplate)
      ? []
      : [
          {
            path: `exports[${index}].destination_filename`,
            message: `export "${entry.name}": two runs started in the same second render the same name (the second meets the first's file: collision "${config.destinations[entry.destination]?.collision ?? 'fail'}"); add {run_id}, {datetime_ms} or {time_ms} to make it unique per run`,
          },
        ],
  );
}
