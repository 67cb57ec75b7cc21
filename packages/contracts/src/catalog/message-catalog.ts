import type { z } from 'zod';

import type { ExportEvent, ExportEventOf, ExportEventType } from '../schemas/export-event.schema.js';
import { exportEventV1Schema } from '../schemas/export-event.schema.js';
import type { ExportRequested } from '../schemas/export-requested.schema.js';
import { exportRequestedV1Schema } from '../schemas/export-requested.schema.js';
import type { FileReady } from '../schemas/file-ready.schema.js';
import type { FreshnessTick } from '../schemas/freshness-tick.schema.js';
import { freshnessTickV1Schema } from '../schemas/freshness-tick.schema.js';
import { fileReadyV1Schema } from '../schemas/file-ready.schema.js';
import type { TopicName } from '../topology/topology.js';
import { Topics } from '../topology/topology.js';

/** The decoded message of each kind (latest schema version). */
export interface MessageTypes {
  'export.requested': ExportRequested;
  'file.ready': FileReady;
  'export.events': ExportEvent;
  /** Published on `export-events` too, by a scheduler: tracker-notifier's freshness check. */
  'freshness.tick': FreshnessTick;
}

export type MessageKind = keyof MessageTypes;

/** Event types carried by a kind: its own name, or for `export.events` every `type`. */
export type EventTypeOf<K extends MessageKind> = K extends 'export.events' ? ExportEventType : K;

/** The message of each event type. */
export type EventMessages = {
  'export.requested': ExportRequested;
  'file.ready': FileReady;
  'freshness.tick': FreshnessTick;
} & {
  [T in ExportEventType]: ExportEventOf<T>;
};

export type EventType = keyof EventMessages;

interface CatalogEntry<K extends MessageKind> {
  readonly topic: TopicName;
  readonly currentVersion: number;
  /** Schemas by `schemaVersion`; a decoder refuses any other version. */
  readonly versions: Readonly<Record<number, z.ZodType<MessageTypes[K]>>>;
  /** True when a payload without `schemaVersion` means version 1 (scheduler bodies). */
  readonly versionOptional: boolean;
  eventType(message: MessageTypes[K]): EventTypeOf<K>;
  /** `runId`, or `requestId` for a request; `undefined` when the message has none. */
  correlationId(message: MessageTypes[K]): string | undefined;
}

/** Every message kind: its topic, its schema per version, and how to read its attributes. */
export const MessageCatalog: { readonly [K in MessageKind]: CatalogEntry<K> } = {
  'export.requested': {
    topic: Topics.exportRequests,
    currentVersion: 1,
    versions: { 1: exportRequestedV1Schema },
    versionOptional: true,
    eventType: () => 'export.requested',
    correlationId: (message) => message.requestId,
  },
  'file.ready': {
    topic: Topics.fileReady,
    currentVersion: 1,
    versions: { 1: fileReadyV1Schema },
    versionOptional: false,
    eventType: () => 'file.ready',
    correlationId: (message) => message.runId,
  },
  'export.events': {
    topic: Topics.exportEvents,
    currentVersion: 1,
    versions: { 1: exportEventV1Schema },
    versionOptional: false,
    eventType: (message) => message.type,
    correlationId: (message) => message.runId,
  },
  'freshness.tick': {
    topic: Topics.exportEvents,
    currentVersion: 1,
    versions: { 1: freshnessTickV1Schema },
    versionOptional: true,
    eventType: () => 'freshness.tick',
    correlationId: () => undefined,
  },
};

/** The input accepted by `encodeMessage` for a kind (defaults may be left out). */
export type MessageInput<K extends MessageKind> = K extends 'export.requested'
  ? z.input<typeof exportRequestedV1Schema>
  : K extends 'freshness.tick'
    ? z.input<typeof freshnessTickV1Schema>
    : MessageTypes[K];
