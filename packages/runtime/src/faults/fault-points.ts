/**
 * The places where a fault can be injected, one per step whose interruption the kill matrix
 * checks. A name says the service and the moment: just after the step it names.
 */
export const FaultPoints = {
  /** The run's checkpoint lease is taken; nothing is read yet. */
  extractorLeaseTaken: 'extractor.lease-taken',
  /** Each row read from BigQuery and passed to the encoder (`@<n>`: the n-th row). */
  extractorRowRead: 'extractor.row-read',
  /** Each Arrow record batch of a Storage Read API read passed on to the encoder (`@<n>`: the n-th). */
  extractorArrowBatch: 'extractor.arrow-batch',
  /** The staged object is written to Cloud Storage; `file.ready` is not published yet. */
  extractorStaged: 'extractor.staged',
  /** `file.ready` is published; the checkpoint is not committed yet. */
  extractorAnnounced: 'extractor.announced',
  /** The SFTP session is open; nothing is written yet. */
  uploaderConnected: 'uploader.connected',
  /** Each chunk of the staged file handed to the SFTP writer (`@<p>%`: the first at p % of the bytes). */
  uploaderChunkSent: 'uploader.chunk-sent',
  /** The temporary file is renamed to its final name; the delivery ledger is not written yet. */
  uploaderRenamed: 'uploader.renamed',
  /** The delivery is in the ledger; `upload.delivered` is not published and the message not acked. */
  uploaderRecorded: 'uploader.recorded',
  /** The event's history row is written; the message is not acked yet. */
  trackerHistoryWritten: 'tracker.history-written',
  /** A notification is sent (email first, then Slack); the notification ledger does not have it yet. */
  trackerNotificationSent: 'tracker.notification-sent',
} as const;

export type FaultPoint = (typeof FaultPoints)[keyof typeof FaultPoints];

export const FAULT_POINTS: readonly FaultPoint[] = Object.values(FaultPoints);

/** Points passed repeatedly while streaming, with the progress so far. */
export const PROGRESS_FAULT_POINTS: readonly FaultPoint[] = [FaultPoints.uploaderChunkSent];

export function isFaultPoint(name: string): name is FaultPoint {
  return (FAULT_POINTS as readonly string[]).includes(name);
}
