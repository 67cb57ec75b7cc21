export {
  encryptedStream,
  PGP_SOURCE_CHECKSUM_MISMATCH,
  PGP_SOURCE_SIZE_MISMATCH,
  PlaintextCheck,
} from './pgp-encrypt.js';
export { PgpFileTransfer } from './pgp-file-transfer.js';
export { keyLabel, loadPgpKeys, PGP_KEY_INVALID } from './pgp-keys.js';
export type { PgpKeys } from './pgp-keys.js';
