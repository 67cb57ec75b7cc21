import { z } from 'zod';

import { envVarNameSchema } from './identifiers.schema.js';

const ARMORED_PUBLIC_KEY =
  /^\s*-----BEGIN PGP PUBLIC KEY BLOCK-----[\s\S]+-----END PGP PUBLIC KEY BLOCK-----\s*$/;

/** One partner key: armored inline (a public key is not a secret) or named by environment variable. */
export const pgpRecipientSchema = z.union([
  z.strictObject({
    public_key: z
      .string()
      .regex(ARMORED_PUBLIC_KEY, 'expected an armored OpenPGP public key block')
      .describe('The partner\'s armored public key ("-----BEGIN PGP PUBLIC KEY BLOCK-----…").'),
  }),
  z.strictObject({
    public_key_env: envVarNameSchema.describe("Variable holding the partner's armored public key."),
  }),
]);

/** Our signing key: a secret, named by environment variable like the SFTP private key. */
export const pgpSigningSchema = z.strictObject({
  private_key_env: envVarNameSchema.describe('Variable holding our armored OpenPGP private key.'),
  passphrase_env: envVarNameSchema.optional().describe('Variable holding its passphrase.'),
});

export const pgpSchema = z
  .strictObject({
    recipients: z
      .array(pgpRecipientSchema)
      .min(1, 'expected at least one recipient key')
      .describe('Partner public keys; each can decrypt the delivered file.'),
    sign: pgpSigningSchema.optional().describe('Sign the file with our key. Default: not signed.'),
    armor: z.boolean().optional().describe('ASCII-armored output instead of binary. Default false.'),
    file_suffix: z
      .enum(['.pgp', '.gpg', '.asc'])
      .optional()
      .describe('Appended to the rendered file name on the server. Default: the name is unchanged.'),
  })
  .describe('OpenPGP-encrypt every file delivered to this destination. Absent: files go as staged.');

export type PgpInput = z.infer<typeof pgpSchema>;
