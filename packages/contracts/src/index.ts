export { dispatchMessage } from './catalog/handlers.js';
export type { Handlers, MessageHandler } from './catalog/handlers.js';
export { MessageCatalog } from './catalog/message-catalog.js';
export type {
  EventMessages,
  EventType,
  EventTypeOf,
  MessageInput,
  MessageKind,
  MessageTypes,
} from './catalog/message-catalog.js';
export { messageJsonSchema } from './catalog/message-json-schema.js';
export { AttributeNames, messageAttributes } from './codec/message-attributes.js';
export type { MessageAttributes } from './codec/message-attributes.js';
export { decodeMessage, encodeMessage } from './codec/message-codec.js';
export type { EncodedMessage } from './codec/message-codec.js';
export { formatPath, zodProblems } from './codec/zod-problems.js';
export { MESSAGE_INVALID, messageInvalidError } from './errors/message-invalid.error.js';
export type { MessageProblem } from './errors/message-invalid.error.js';
export { deterministicEventId, EVENT_ID_NAMESPACE } from './ids/deterministic-event-id.js';
export {
  backfillSchema,
  compressionSchema,
  errorInfoSchema,
  eventIdSchema,
  exportModeSchema,
  fileFormatSchema,
  fileNameSchema,
  gcsGenerationSchema,
  gcsUriSchema,
  instantSchema,
  NAME_PATTERN,
  nameSchema,
  opaqueIdSchema,
  remoteDirectorySchema,
  sha256HexSchema,
  windowSchema,
} from './schemas/common.schema.js';
export type {
  Compression,
  ErrorInfo,
  ExportMode,
  ExportWindow,
  FileFormat,
} from './schemas/common.schema.js';
export { EXPORT_EVENT_TYPES, exportEventV1Schema } from './schemas/export-event.schema.js';
export type { ExportEvent, ExportEventOf, ExportEventType } from './schemas/export-event.schema.js';
export { exportRequestedV1Schema } from './schemas/export-requested.schema.js';
export type { ExportRequested, ExportRequestedInput } from './schemas/export-requested.schema.js';
export { CONTROL_CHARS, fileNameProblem } from './schemas/file-name.js';
export { fileReadyV1Schema } from './schemas/file-ready.schema.js';
export type { FileReady } from './schemas/file-ready.schema.js';
export { freshnessTickV1Schema } from './schemas/freshness-tick.schema.js';
export type { FreshnessTick, FreshnessTickInput } from './schemas/freshness-tick.schema.js';
export { MAX_DELIVERY_ATTEMPTS, Topics, Topology, topologyOf } from './topology/topology.js';
export type { Consumer, TopicName, TopologyEntry } from './topology/topology.js';
