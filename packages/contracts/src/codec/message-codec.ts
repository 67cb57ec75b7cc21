import type { z } from 'zod';

import type { MessageInput, MessageKind, MessageTypes } from '../catalog/message-catalog.js';
import { MessageCatalog } from '../catalog/message-catalog.js';
import type { MessageProblem } from '../errors/message-invalid.error.js';
import { messageInvalidError } from '../errors/message-invalid.error.js';
import type { MessageAttributes } from './message-attributes.js';
import { AttributeNames, messageAttributes } from './message-attributes.js';
import { zodProblems } from './zod-problems.js';

export interface EncodedMessage {
  readonly data: Buffer;
  readonly attributes: MessageAttributes;
}

interface UntypedEntry {
  readonly currentVersion: number;
  readonly versionOptional: boolean;
  readonly versions: Readonly<Record<number, z.ZodType>>;
  eventType(message: unknown): string;
}

function entryOf(kind: MessageKind): UntypedEntry {
  return MessageCatalog[kind];
}

function validate<K extends MessageKind>(kind: K, version: number, value: unknown): MessageTypes[K] {
  const schema = entryOf(kind).versions[version];
  if (schema === undefined) {
    const supported = Object.keys(entryOf(kind).versions).join(', ');
    throw messageInvalidError(kind, [
      { path: 'schemaVersion', message: `unsupported schema version (supported: ${supported})` },
    ]);
  }
  const result = schema.safeParse(value);
  if (!result.success) throw messageInvalidError(kind, zodProblems(result.error.issues));
  return result.data as MessageTypes[K];
}

/** Validates a message and serialises it with its attributes; throws `MESSAGE_INVALID` first. */
export function encodeMessage<K extends MessageKind>(kind: K, value: MessageInput<K>): EncodedMessage {
  const message = validate(kind, entryOf(kind).currentVersion, value);
  return { data: Buffer.from(JSON.stringify(message), 'utf8'), attributes: messageAttributes(kind, message) };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function parseJson(kind: MessageKind, data: Uint8Array | string): unknown {
  let text: string;
  try {
    text = typeof data === 'string' ? data : utf8.decode(data);
  } catch {
    throw messageInvalidError(kind, [{ path: '', message: 'malformed JSON: expected UTF-8 text' }]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // The parser's message quotes the input, which may hold row data: report the fact only.
    throw messageInvalidError(kind, [{ path: '', message: 'malformed JSON' }]);
  }
}

function payloadVersion(kind: MessageKind, payload: Record<string, unknown>): number {
  const version = payload['schemaVersion'];
  if (version === undefined && entryOf(kind).versionOptional) return 1;
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw messageInvalidError(kind, [
      { path: 'schemaVersion', message: 'expected an integer schema version' },
    ]);
  }
  return version;
}

/**
 * Parses and validates a received message. Rejects malformed JSON, unknown schema versions,
 * invalid fields and attributes that contradict the payload with `MESSAGE_INVALID`
 * (not retryable: dead-letter it). Attributes are optional: a scheduler body has none.
 */
export function decodeMessage<K extends MessageKind>(
  kind: K,
  data: Uint8Array | string,
  attributes: Readonly<Record<string, string>> = {},
): MessageTypes[K] {
  const payload = parseJson(kind, data);
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw messageInvalidError(kind, [{ path: '', message: 'expected a JSON object' }]);
  }
  const version = payloadVersion(kind, payload as Record<string, unknown>);
  const message = validate(kind, version, payload);
  const problems: MessageProblem[] = [];
  const attributeVersion = attributes[AttributeNames.schemaVersion];
  if (attributeVersion !== undefined && attributeVersion !== String(version)) {
    problems.push({ path: 'attributes.schemaVersion', message: "expected the payload's schemaVersion" });
  }
  const attributeType = attributes[AttributeNames.eventType];
  if (attributeType !== undefined && attributeType !== entryOf(kind).eventType(message)) {
    problems.push({ path: 'attributes.eventType', message: "expected the payload's event type" });
  }
  if (problems.length > 0) throw messageInvalidError(kind, problems);
  return message;
}
