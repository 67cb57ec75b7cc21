import { Topics } from '@bq-sftp-export/contracts';
import type { ExportEvent, FileReady, TopicName } from '@bq-sftp-export/contracts';

/** A value that stands for row data inside bad payloads: it must never reach a log, mail or Slack post. */
export const PAYLOAD_SENTINEL = 'row-value-sentinel-4f1c9e';

/** One bad message and the dead letter it must become. */
export interface MessageCase {
  readonly topic: TopicName;
  readonly name: string;
  readonly data: Buffer;
  readonly attributes: Readonly<Record<string, string>>;
  /** `deadLetterCode` of the dead letter. */
  readonly code: string;
  /** Text the `deadLetterReason` contains: it names the problem. */
  readonly reason: string;
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');

/** Real messages of a delivered run, the templates the bad ones are made from. */
export interface MessageTemplates {
  readonly fileReady: FileReady;
  readonly event: ExportEvent;
}

/**
 * The malformed and wrong-schema messages every topic's consumer must dead-letter: for each topic,
 * malformed JSON, non-UTF-8 bytes, an array, a field of the wrong type, an unknown schema version,
 * an attribute contradicting the payload and an oversize attribute. The invalid text in them is
 * `PAYLOAD_SENTINEL` (ids are logged by design, so it is never put there).
 */
export function messageCases(templates: MessageTemplates): MessageCase[] {
  const valid: Readonly<Record<TopicName, Record<string, unknown>>> = {
    [Topics.exportRequests]: { config: 'default' },
    [Topics.fileReady]: { ...templates.fileReady, runId: `${templates.fileReady.runId}-bad` },
    [Topics.exportEvents]: { ...templates.event, runId: `${templates.event.runId}-bad` },
  };
  const eventTypeOf: Readonly<Record<TopicName, string>> = {
    [Topics.exportRequests]: 'export.requested',
    [Topics.fileReady]: 'file.ready',
    [Topics.exportEvents]: templates.event.type,
  };
  const wrongSchema: Readonly<Record<TopicName, readonly [Record<string, unknown>, string]>> = {
    [Topics.exportRequests]: [{ ...valid[Topics.exportRequests], mode: PAYLOAD_SENTINEL }, 'mode'],
    [Topics.fileReady]: [
      { ...valid[Topics.fileReady], gcs: { ...templates.fileReady.gcs, generation: PAYLOAD_SENTINEL } },
      'gcs.generation',
    ],
    [Topics.exportEvents]: [{ ...valid[Topics.exportEvents], occurredAt: PAYLOAD_SENTINEL }, 'occurredAt'],
  };
  const invalid = { code: 'MESSAGE_INVALID' };
  return Object.values(Topics).flatMap((topic): MessageCase[] => {
    const message = valid[topic];
    const [wrong, wrongPath] = wrongSchema[topic];
    return [
      {
        ...invalid,
        topic,
        name: 'malformed JSON',
        data: Buffer.from(`{"config": "${PAYLOAD_SENTINEL}", `, 'utf8'),
        attributes: {},
        reason: 'malformed JSON',
      },
      {
        ...invalid,
        topic,
        name: 'non-UTF-8 bytes',
        data: Buffer.concat([
          Buffer.from(`{"config": "${PAYLOAD_SENTINEL}`),
          Buffer.from([0xff, 0xfe, 0xc3]),
          Buffer.from('"}'),
        ]),
        attributes: {},
        reason: 'expected UTF-8 text',
      },
      {
        ...invalid,
        topic,
        name: 'a JSON array',
        data: json([message]),
        attributes: {},
        reason: 'expected a JSON object',
      },
      {
        ...invalid,
        topic,
        name: 'a field of the wrong type',
        data: json(wrong),
        attributes: {},
        reason: wrongPath,
      },
      {
        ...invalid,
        topic,
        name: 'an unknown schema version',
        data: json({ ...message, schemaVersion: 99 }),
        attributes: {},
        reason: 'unsupported schema version',
      },
      {
        ...invalid,
        topic,
        name: 'a schemaVersion attribute contradicting the payload',
        data: json(message),
        attributes: { eventType: eventTypeOf[topic], schemaVersion: '2' },
        reason: 'attributes.schemaVersion',
      },
      {
        ...invalid,
        topic,
        // Near the 1024 bytes real Pub/Sub (and so the local one) takes for an attribute value.
        name: 'an oversize eventType attribute (1 KiB)',
        data: json(message),
        attributes: { eventType: `${PAYLOAD_SENTINEL}-`.repeat(39) },
        reason: 'attributes.eventType',
      },
    ];
  });
}
