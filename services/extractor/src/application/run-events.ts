import type { MessagePublisher } from '@bq-sftp-export/cloud';
import {
  deterministicEventId,
  encodeMessage,
  Topics,
  type ExportEvent,
  type FileReady,
  type MessageInput,
} from '@bq-sftp-export/contracts';

type EventInput = MessageInput<'export.events'>;
/** An event without the fields every event of a run shares. */
export type RunEventBody = DistributiveOmit<
  EventInput,
  'schemaVersion' | 'eventId' | 'runId' | 'exportName' | 'configName' | 'sourceTable' | 'occurredAt'
>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface RunFacts {
  readonly runId: string;
  readonly exportName: string;
  readonly configName: string;
  readonly sourceTable: string;
}

/**
 * Publishes a run's events and its `file.ready`, validated by the contracts. Event ids are
 * deterministic per run, type and export, so a resumed run re-emits the same ids.
 */
export class RunEvents {
  constructor(
    private readonly publisher: MessagePublisher,
    readonly facts: RunFacts,
  ) {}

  eventId(type: string): string {
    return deterministicEventId(this.facts.runId, type, this.facts.exportName);
  }

  async publish(body: RunEventBody, occurredAt: string): Promise<ExportEvent> {
    const event = {
      schemaVersion: 1,
      eventId: this.eventId(body.type),
      ...this.facts,
      occurredAt,
      ...body,
    } as EventInput;
    const encoded = encodeMessage('export.events', event);
    await this.publisher.publish(Topics.exportEvents, encoded);
    return JSON.parse(encoded.data.toString('utf8')) as ExportEvent;
  }

  async publishFileReady(message: FileReady): Promise<void> {
    await this.publisher.publish(Topics.fileReady, encodeMessage('file.ready', message));
  }
}
