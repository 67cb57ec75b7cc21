/** A bucket as the emulator stores it. */
export interface BucketRecord {
  readonly name: string;
  readonly metageneration: number;
  readonly location: string;
  readonly storageClass: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly timeCreated: string;
  readonly updated: string;
}

/** Object metadata the client may set (the writable part of the JSON API object resource). */
export interface ObjectMetadataFields {
  readonly contentType?: string;
  readonly contentEncoding?: string;
  readonly contentDisposition?: string;
  readonly contentLanguage?: string;
  readonly cacheControl?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

/** The live generation of an object. */
export interface ObjectRecord extends ObjectMetadataFields {
  readonly bucket: string;
  readonly name: string;
  readonly generation: number;
  readonly metageneration: number;
  readonly size: number;
  readonly crc32c: string;
  readonly md5Hash: string;
  readonly timeCreated: string;
  readonly updated: string;
  readonly componentCount?: number;
  /** Backend id of the immutable bytes. */
  readonly blobId: string;
}
