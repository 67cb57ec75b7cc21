export { checkPgpKeys } from './check-pgp-keys.js';
export type { PgpKeysCheck, UncheckedPgpKey } from './check-pgp-keys.js';
export { keyLabel, loadPgpKeys, PGP_KEY_INVALID } from './pgp-keys.js';
export type { PgpKeyMaterial, PgpKeys } from './pgp-keys.js';
