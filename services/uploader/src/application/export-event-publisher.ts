import { MessagePublisher } from '@bq-sftp-export/cloud';
import { encodeMessage, Topics, type ExportEvent } from '@bq-sftp-export/contracts';
import { inject, injectable } from 'inversify';

/** Publishes `export.events` (validated, with their attributes) to the export-events topic. */
@injectable()
export class ExportEventPublisher {
  constructor(@inject(MessagePublisher) private readonly publisher: MessagePublisher) {}

  async publish(event: ExportEvent): Promise<void> {
    await this.publisher.publish(Topics.exportEvents, encodeMessage('export.events', event));
  }
}
