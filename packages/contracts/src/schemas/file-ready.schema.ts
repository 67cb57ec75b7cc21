import { z } from 'zod';

import {
  byteCountSchema,
  compressionSchema,
  eventIdSchema,
  exportModeSchema,
  fileFormatSchema,
  fileNameSchema,
  gcsGenerationSchema,
  gcsUriSchema,
  instantSchema,
  nameSchema,
  opaqueIdSchema,
  remoteDirectorySchema,
  runFactsFields,
  sha256HexSchema,
  windowSchema,
} from './common.schema.js';

export const stagedObjectSchema = z.object({
  uri: gcsUriSchema,
  /** The object generation the uploader must read (a decimal int64, hence a string). */
  generation: gcsGenerationSchema,
  /** GCS's base64 CRC32C of the object. */
  crc32c: z.string().regex(/^[A-Za-z0-9+/]{6}==$/, 'expected a base64 CRC32C (8 characters)'),
});

/**
 * `file.ready` v1: a staged file is durable and ready to deliver. Facts about the file only —
 * never its content. Machine-written, so unknown fields are dropped (tolerant reader): adding
 * an optional field needs no version bump.
 */
export const fileReadyV1Schema = z
  .object({
    ...runFactsFields,
    gcs: stagedObjectSchema,
    byteSize: byteCountSchema,
    sha256: sha256HexSchema,
    rowCount: byteCountSchema,
    format: fileFormatSchema,
    compression: compressionSchema,
    /** Name of the SFTP destination in the config (`default`: the seed's `sftp` block). */
    destination: nameSchema,
    remoteDirectory: remoteDirectorySchema,
    fileName: fileNameSchema,
    window: windowSchema,
    mode: exportModeSchema,
    createdAt: instantSchema,
    /** The seed's `last_exported_value`: the highest `timestamp_column` value in the file. */
    lastExportedValue: z.string().max(64).optional(),
    /** A resend: the `eventId` of the original `file.ready`. */
    resendOf: eventIdSchema.optional(),
    resendId: opaqueIdSchema.optional(),
  })
  .refine((file) => (file.resendOf === undefined) === (file.resendId === undefined), {
    message: 'expected resendOf and resendId together',
    path: ['resendId'],
  });

export type FileReady = z.output<typeof fileReadyV1Schema>;
