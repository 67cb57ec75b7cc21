import { remoteDirectorySchema } from '@bq-sftp-export/contracts';
import { z } from 'zod';

import { envVarNameSchema, hostSchema, portSchema } from './identifiers.schema.js';
import { manifestSchema } from './manifest.schema.js';
import { pgpSchema } from './pgp.schema.js';
import { tempNameProblems } from './temp-name-template.js';

export const sftpAuthSchema = z
  .discriminatedUnion('method', [
    z.strictObject({ method: z.literal('password'), password_env: envVarNameSchema }),
    z.strictObject({
      method: z.literal('private_key'),
      private_key_env: envVarNameSchema.describe('Variable holding the PEM/OpenSSH private key.'),
      passphrase_env: envVarNameSchema.optional(),
    }),
    z.strictObject({
      method: z.literal('keyboard_interactive'),
      password_env: envVarNameSchema.describe('Variable holding the answer to the password prompt.'),
    }),
  ])
  .describe('How to authenticate: secrets are named by environment variable, never written here.');

export type SftpAuth = z.infer<typeof sftpAuthSchema>;

/** An OpenSSH SHA256 host-key fingerprint, as `ssh-keygen -lf` prints it. */
export const fingerprintSchema = z
  .string()
  .regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'expected an OpenSSH fingerprint "SHA256:<43 base64 characters>"');

const tempNameSchema = z.string().superRefine((value, context) => {
  for (const message of tempNameProblems(value)) context.addIssue({ code: 'custom', message });
});

/** Delivered files are private to the SFTP account unless the config says otherwise. */
export const DEFAULT_FILE_MODE = '0600';

/** Permission bits as octal text ("0640", "640"); special bits (setuid, setgid, sticky) refused. */
const fileModeSchema = z
  .string('expected an octal string such as "0640" (a number would be read as decimal)')
  .regex(/^0?[0-7]{3}$/, 'expected permission bits as an octal string "0000"-"0777", such as "0640"');

/** Fields shared by the seed's `sftp` block and named destinations. */
const destinationFields = {
  port: portSchema.optional().describe('Default 22.'),
  host_key_fingerprints: z
    .array(fingerprintSchema)
    .optional()
    .describe(
      'Pinned host keys (`ssh-keygen -lf`); a server presenting any other key is refused before authentication.',
    ),
  temp_name: tempNameSchema
    .optional()
    .describe(
      'Name uploaded to before the atomic rename, in the same directory; {name} is the final file name, {run_id} the run. Default ".{name}.part".',
    ),
  collision: z
    .enum(['fail', 'overwrite', 'skip_if_identical'])
    .optional()
    .describe(
      'When the final name already exists: "fail", "overwrite", or "skip_if_identical" (same size and hash). Default "fail".',
    ),
  create_directory: z.boolean().optional().describe('Create the remote directory if missing. Default false.'),
  file_mode: fileModeSchema
    .optional()
    .describe(
      'Permission bits of the delivered file, an octal string "0000"-"0777" (the server\'s umask does not apply). Default "0600".',
    ),
  pgp: pgpSchema.optional(),
  manifest: manifestSchema.optional(),
};

/** The seed's `sftp` block: host and username default to `SFTP_HOST` / `SFTP_USERNAME`. */
export const seedSftpSchema = z
  .strictObject({
    path: remoteDirectorySchema.describe('Remote directory files are delivered to.'),
    host: hostSchema.optional().describe('Default: the SFTP_HOST environment variable.'),
    username: z.string().min(1).optional().describe('Default: the SFTP_USERNAME environment variable.'),
    auth: sftpAuthSchema.optional().describe('Default: password from SFTP_PASSWORD.'),
    ...destinationFields,
  })
  .describe('The seed\'s SFTP server: the destination named "default".');

export const namedDestinationSchema = z.strictObject({
  host: hostSchema,
  username: z.string().min(1, 'expected a username'),
  auth: sftpAuthSchema,
  path: remoteDirectorySchema.describe('Remote directory files are delivered to.'),
  ...destinationFields,
});

export type SeedSftpInput = z.infer<typeof seedSftpSchema>;
export type NamedDestinationInput = z.infer<typeof namedDestinationSchema>;
