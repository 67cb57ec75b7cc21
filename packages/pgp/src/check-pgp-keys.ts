import type { ExportConfig, PgpSpec, SecretEnvironment } from '@bq-sftp-export/config';
import type { MessageProblem } from '@bq-sftp-export/contracts';
import { isAppError } from '@bq-sftp-export/runtime';

import { loadPgpKeys, PGP_KEY_INVALID, type PgpKeyMaterial } from './pgp-keys.js';

/** A key named by a variable that is not set where the check ran: not checked, not a problem. */
export interface UncheckedPgpKey {
  readonly path: string;
  readonly variable: string;
}

export interface PgpKeysCheck {
  /** One per bad key: `path` is its config field, `message` what is wrong (never key material). */
  readonly problems: readonly MessageProblem[];
  readonly unchecked: readonly UncheckedPgpKey[];
}

type Part = { readonly material: PgpKeyMaterial } | { readonly unchecked: UncheckedPgpKey };

/** Each key of one `pgp` block as its own check, so every bad key is reported, not the first. */
function partsOf(spec: PgpSpec, secrets: SecretEnvironment): Part[] {
  const parts: Part[] = spec.recipients.map((recipient) => {
    if ('publicKey' in recipient) {
      return { material: { recipients: [{ field: recipient.field, armoredKey: recipient.publicKey }] } };
    }
    const key = secrets.get(recipient.publicKeyEnv);
    return key === undefined
      ? { unchecked: { path: recipient.field, variable: recipient.publicKeyEnv } }
      : { material: { recipients: [{ field: recipient.field, armoredKey: key.reveal() }] } };
  });
  const { sign } = spec;
  if (sign === undefined) return parts;
  const privateKey = secrets.get(sign.privateKeyEnv);
  const passphrase = sign.passphraseEnv === undefined ? undefined : secrets.get(sign.passphraseEnv);
  if (privateKey === undefined) {
    parts.push({ unchecked: { path: sign.field, variable: sign.privateKeyEnv } });
  } else if (sign.passphraseEnv !== undefined && passphrase === undefined) {
    parts.push({ unchecked: { path: sign.field, variable: sign.passphraseEnv } });
  } else {
    const signing = {
      field: sign.field,
      privateKey: privateKey.reveal(),
      ...(passphrase === undefined ? {} : { passphrase: passphrase.reveal() }),
    };
    parts.push({ material: { recipients: [], signing } });
  }
  return parts;
}

/**
 * Reads and checks every OpenPGP key of the config's destinations that the exports use: each
 * recipient must be a public key able to encrypt at `now`, the signing key must unlock with its
 * passphrase and be able to sign. Keys in variables that are not set are listed as `unchecked`.
 * Used by `bq-sftp validate` and by the uploader at start-up; the uploader checks again per
 * delivery (a key can expire while it runs).
 */
export async function checkPgpKeys(
  config: ExportConfig,
  secrets: SecretEnvironment,
  now = new Date(),
): Promise<PgpKeysCheck> {
  const used = new Set(config.exports.map((entry) => entry.destination));
  const problems: MessageProblem[] = [];
  const unchecked: UncheckedPgpKey[] = [];
  for (const [name, destination] of Object.entries(config.destinations)) {
    if (!used.has(name) || destination.pgp === undefined) continue;
    for (const part of partsOf(destination.pgp, secrets)) {
      if ('unchecked' in part) {
        unchecked.push(part.unchecked);
        continue;
      }
      try {
        await loadPgpKeys(part.material, now);
      } catch (error) {
        if (!isAppError(error) || error.code !== PGP_KEY_INVALID) throw error;
        problems.push({ path: String(error.details['field']), message: String(error.details['problem']) });
      }
    }
  }
  return { problems, unchecked };
}
