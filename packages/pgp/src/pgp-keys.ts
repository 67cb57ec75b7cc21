import { AppError } from '@bq-sftp-export/runtime';
import { decryptKey, readKey, readPrivateKey, type Key, type PrivateKey } from 'openpgp';

/** A destination's keys as armored text, each with the config field it came from (named in errors). */
export interface PgpKeyMaterial {
  readonly recipients: readonly { readonly field: string; readonly armoredKey: string }[];
  readonly signing?: { readonly field: string; readonly privateKey: string; readonly passphrase?: string };
}

export const PGP_KEY_INVALID = 'PGP_KEY_INVALID';

/** Parsed, checked keys: every recipient can encrypt now, the signing key is unlocked. */
export interface PgpKeys {
  readonly recipients: readonly Key[];
  readonly signing?: PrivateKey;
}

/** `fingerprint (user id)` of a key: what errors name, never key material. */
export function keyLabel(key: Key): string {
  const fingerprint = key.getFingerprint().toUpperCase();
  const userId = key.getUserIDs()[0];
  return userId === undefined ? fingerprint : `${fingerprint} (${userId})`;
}

function invalid(field: string, problem: string): AppError {
  return new AppError(`${field}: ${problem}`, {
    code: PGP_KEY_INVALID,
    retryable: false,
    details: { field, problem },
  });
}

async function recipientKey(field: string, armoredKey: string, now: Date): Promise<Key> {
  let key: Key;
  try {
    key = await readKey({ armoredKey });
  } catch {
    throw invalid(field, 'not a readable armored OpenPGP public key');
  }
  if (key.isPrivate()) {
    // Said without the key's label: a private key leaked into config should be replaced, not described.
    throw invalid(field, "holds a private key; expected the partner's public key (it was not used)");
  }
  const expires = await key.getExpirationTime();
  if (expires instanceof Date && expires.getTime() <= now.getTime()) {
    throw invalid(field, `key ${keyLabel(key)} expired on ${expires.toISOString()}`);
  }
  try {
    await key.getEncryptionKey(undefined, now);
  } catch {
    throw invalid(field, `key ${keyLabel(key)} has no valid encryption key (revoked, expired or sign-only)`);
  }
  return key;
}

async function signingKey(signing: NonNullable<PgpKeyMaterial['signing']>, now: Date): Promise<PrivateKey> {
  const { field } = signing;
  let key: PrivateKey;
  try {
    key = await readPrivateKey({ armoredKey: signing.privateKey });
  } catch {
    throw invalid(field, 'not a readable armored OpenPGP private key');
  }
  if (!key.isDecrypted()) {
    if (signing.passphrase === undefined) {
      throw invalid(field, `key ${keyLabel(key)} is protected by a passphrase and none is configured`);
    }
    try {
      key = await decryptKey({ privateKey: key, passphrase: signing.passphrase });
    } catch {
      throw invalid(field, `key ${keyLabel(key)}: the passphrase does not unlock it`);
    }
  }
  try {
    await key.getSigningKey(undefined, now);
  } catch {
    throw invalid(field, `key ${keyLabel(key)} has no valid signing key (revoked, expired or encrypt-only)`);
  }
  return key;
}

/**
 * Reads and checks a destination's keys: each recipient must be a public key that can encrypt at
 * `now`, the signing key must unlock with its passphrase and be able to sign. Every failure is a
 * permanent `PGP_KEY_INVALID` naming the config field (and the key's fingerprint and user id).
 */
export async function loadPgpKeys(encryption: PgpKeyMaterial, now = new Date()): Promise<PgpKeys> {
  const recipients = await Promise.all(
    encryption.recipients.map((recipient) => recipientKey(recipient.field, recipient.armoredKey, now)),
  );
  if (encryption.signing === undefined) return { recipients };
  return { recipients, signing: await signingKey(encryption.signing, now) };
}
