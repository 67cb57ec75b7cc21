import type { FileReady } from '@bq-sftp-export/contracts';

/** What identifies one delivery in the ledger: the file's business key, never a Pub/Sub id. */
export interface LedgerKey {
  readonly configName: string;
  readonly exportName: string;
  readonly runId: string;
  readonly fileName: string;
  /** Content hash (hex sha256) of the staged file. */
  readonly sha256: string;
}

export function ledgerKeyOf(file: FileReady): LedgerKey {
  return {
    configName: file.configName,
    exportName: file.exportName,
    runId: file.runId,
    fileName: file.fileName,
    sha256: file.sha256,
  };
}

/** The object names of one key's records, under `ledger/` in the staging bucket. */
export interface LedgerObjectNames {
  /** The first delivery: `ledger/<config>/<export>/<runId>/<fileName>/<sha256>.json`. */
  readonly delivery: string;
  /** One per resend: `ledger/<config>/<export>/<runId>/<fileName>/<sha256>/resends/<resendId>.json`. */
  resend(resendId: string): string;
  /** The claim an uploader holds while delivering: `…/<sha256>.claim.json`. */
  readonly claim: string;
  /** The first delivery's manifest: `…/<sha256>.manifest.json`. */
  readonly manifest: string;
  /** A resend's manifest: `…/<sha256>/resends/<resendId>/manifest.json` (no resend id can make it another record's name). */
  resendManifest(resendId: string): string;
}

/**
 * Object names of the ledger. Every part is already safe in a path: names and ids match
 * `[A-Za-z0-9_.-]`, file names are one segment (no `/`, no `..`), the hash is hex.
 */
export function ledgerObjectNames(key: LedgerKey): LedgerObjectNames {
  const base = `ledger/${key.configName}/${key.exportName}/${key.runId}/${key.fileName}/${key.sha256}`;
  return {
    delivery: `${base}.json`,
    resend: (resendId) => `${base}/resends/${resendId}.json`,
    claim: `${base}.claim.json`,
    manifest: `${base}.manifest.json`,
    resendManifest: (resendId) => `${base}/resends/${resendId}/manifest.json`,
  };
}

/** The record a `file.ready` is checked against: the resend's own record for a resend, else the delivery's. */
export function recordNameFor(file: FileReady): string {
  const names = ledgerObjectNames(ledgerKeyOf(file));
  return file.resendId === undefined ? names.delivery : names.resend(file.resendId);
}

/** The manifest record of the delivery (or resend) `recordNameFor` names. */
export function manifestRecordNameFor(file: FileReady): string {
  const names = ledgerObjectNames(ledgerKeyOf(file));
  return file.resendId === undefined ? names.manifest : names.resendManifest(file.resendId);
}
