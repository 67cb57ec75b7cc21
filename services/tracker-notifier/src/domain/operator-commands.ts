import { Topics, topologyOf } from '@bq-sftp-export/contracts';
import type { ExportEvent } from '@bq-sftp-export/contracts';

/**
 * The exact commands an operator runs after a step failed for good: replay the dead-lettered
 * message (retry the step), or for an upload also resend the staged file of the run.
 */
export function operatorCommands(event: ExportEvent): readonly string[] {
  if (event.type === 'extract.failed') {
    return [`bq-sftp replay --subscription ${topologyOf(Topics.exportRequests).deadLetterSubscription}`];
  }
  if (event.type === 'upload.failed') {
    return [
      `bq-sftp replay --subscription ${topologyOf(Topics.fileReady).deadLetterSubscription}`,
      `bq-sftp resend --run ${event.runId} --export ${event.exportName}`,
    ];
  }
  return [];
}
