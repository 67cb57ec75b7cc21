import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

import { gcsErrors } from '../model/gcs-error.js';
import { ByteReader } from './byte-reader.js';
import { parseJsonObject } from './http-io.js';

const maxMetadataBytes = 1024 * 1024;

export interface MultipartUpload {
  readonly metadata: Record<string, unknown>;
  /** Content-Type of the media part. */
  readonly mediaType: string | undefined;
  /** The media bytes, streamed from the request. */
  readonly media: Readable;
}

/**
 * Splits an `uploadType=multipart` body (`multipart/related`: a JSON metadata part, then the
 * media part) without buffering the media.
 */
export async function readMultipartUpload(request: IncomingMessage): Promise<MultipartUpload> {
  const boundary = boundaryOf(request.headers['content-type']);
  const reader = new ByteReader(request as AsyncIterable<Buffer>);
  const crlf = Buffer.from('\r\n');
  const headerEnd = Buffer.from('\r\n\r\n');
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  await reader.readUntil(Buffer.from(`--${boundary}\r\n`), maxMetadataBytes);
  await reader.readUntil(headerEnd, maxMetadataBytes);
  const metadata = parseJsonObject((await reader.readUntil(delimiter, maxMetadataBytes)).toString('utf8'));
  await reader.readUntil(crlf, maxMetadataBytes);
  const mediaHeaders = (await reader.readUntil(headerEnd, maxMetadataBytes)).toString('latin1');
  const mediaType = /^content-type:\s*(.+)$/im.exec(mediaHeaders)?.[1]?.trim();
  return { metadata, mediaType, media: Readable.from(reader.streamUntil(delimiter), { objectMode: false }) };
}

function boundaryOf(contentType: string | undefined): string {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  const boundary = match?.[1] ?? match?.[2];
  if (boundary === undefined || !/^multipart\/related/i.test(contentType ?? '')) {
    throw gcsErrors.badRequest('uploadType=multipart needs a multipart/related body with a boundary.');
  }
  return boundary;
}
