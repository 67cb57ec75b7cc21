export {
  encryptedStream,
  PGP_SOURCE_CHECKSUM_MISMATCH,
  PGP_SOURCE_SIZE_MISMATCH,
  PlaintextCheck,
} from './pgp-encrypt.js';
export { PgpFileTransfer } from './pgp-file-transfer.js';
export { checkPgpKeysAtStart } from './check-keys-at-start.js';
