import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';

/** Hex sha256 of everything the stream yields. */
export async function sha256Stream(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Hex sha256 of a local file, streamed. */
export function sha256File(path: string): Promise<string> {
  return sha256Stream(createReadStream(path));
}
