import { createHash } from 'node:crypto';

/** Fixed namespace of the project's name-based ids (a random UUID chosen once; never change it). */
export const EVENT_ID_NAMESPACE = '3f0c2a57-8d1e-4b6a-9c39-1b7e52d04a6e';

const namespaceBytes = Buffer.from(EVENT_ID_NAMESPACE.replaceAll('-', ''), 'hex');

/**
 * A name-based UUID (version 5, RFC 9562) over the given parts, so a retried step that states the
 * same fact about a run (`deterministicEventId(runId, 'extract.staged', exportName)`) emits the
 * same event id and consumers de-duplicate on it. Parts are length-prefixed, so
 * `('a:b', 'c')` and `('a', 'b:c')` differ.
 */
export function deterministicEventId(...parts: readonly string[]): string {
  if (parts.length === 0) throw new Error('deterministicEventId needs at least one part');
  const hash = createHash('sha1').update(namespaceBytes);
  for (const part of parts) hash.update(`${Buffer.byteLength(part)}:${part};`);
  const bytes = hash.digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
