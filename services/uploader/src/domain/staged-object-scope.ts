import type { FileReady } from '@bq-sftp-export/contracts';

/** Where the extractor stages the files of one config's export. */
export interface StagingScope {
  readonly bucket: string;
  /** The config's `staging.prefix` (`exports/`). */
  readonly prefix: string;
}

/**
 * Why `file.gcs.uri` is not a staged file of the event's own config and export, or `undefined`
 * when it is: the object must be in the staging bucket under
 * `<prefix><config>/<export>/` (the extractor's `stagedObjectRef`). A `file.ready` is only a
 * message; without this, one naming a checkpoint, a ledger record, another config's file or
 * another bucket would have it delivered to the partner.
 */
export function stagedObjectProblem(file: FileReady, scope: StagingScope): string | undefined {
  const segments = `${scope.prefix}${file.configName}/${file.exportName}`
    .split('/')
    .filter((segment) => segment !== '');
  const expected = `gs://${scope.bucket}/${segments.join('/')}/`;
  const uri = file.gcs.uri;
  if (!uri.startsWith(expected) || uri.length === expected.length) {
    return `gcs.uri is not a staged file of config "${file.configName}" export "${file.exportName}" (expected under ${expected})`;
  }
  return undefined;
}
