import { MessagePublisher } from '@bq-sftp-export/cloud';
import { loadExportConfig, type ConfigSource, type ExportConfig } from '@bq-sftp-export/config';
import type { ExportRequested } from '@bq-sftp-export/contracts';
import { formatInstant, instantFromMillis } from '@bq-sftp-export/export-domain';
import { Clock, Outcome, type HandlerOutcome, type MessageContext } from '@bq-sftp-export/runtime';
import { inject, injectable } from 'inversify';

import { ExportConfigSource } from './config-source.port.js';
import { asAppError } from './errors.js';
import { ExportRunner, type RunOutcome } from './export-runner.js';
import { ExtractorSettings } from './extractor-settings.js';
import { publishRefusal } from './refusal-events.js';
import { runIdFor } from './run-id.js';

/**
 * `export.requested`: load the named config, pick the exports, run each in turn. The request
 * is acked when every run ended (staged, empty, skipped as busy, already done); nacked when
 * one failed transiently (finished runs are recognised on redelivery and not repeated);
 * dead-lettered with the reason when one failed permanently or the request cannot be served.
 * A request refused for its config (not found, invalid, an unknown export) also publishes a
 * final `extract.failed`, so the refusal is in the history and announced, not only dead-lettered.
 */
@injectable()
export class ExportRequestedHandler {
  constructor(
    @inject(ExportConfigSource) private readonly configs: ConfigSource,
    @inject(ExportRunner) private readonly runner: ExportRunner,
    @inject(ExtractorSettings) private readonly settings: ExtractorSettings,
    @inject(MessagePublisher) private readonly publisher: MessagePublisher,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  async handle(request: ExportRequested, context: MessageContext): Promise<HandlerOutcome> {
    let config: ExportConfig;
    try {
      config = await loadExportConfig(this.configs, request.config);
    } catch (error) {
      const appError = asAppError(error);
      if (appError.retryable) return Outcome.retry(appError.message);
      return this.refuse(request, context, { code: appError.code, message: appError.message });
    }
    const known = new Set(config.exports.map((entry) => entry.name));
    const unknown = (request.exports ?? []).filter((name) => !known.has(name));
    if (unknown.length > 0) {
      return this.refuse(request, context, {
        code: 'EXPORT_UNKNOWN',
        message: `config ${config.name} has no export named ${unknown.join(', ')}`,
        exports: unknown,
      });
    }
    const bucket = config.staging.bucket ?? this.settings.stagingBucket;
    if (bucket === undefined) {
      return Outcome.deadLetter(
        'STAGING_BUCKET_MISSING',
        `config ${config.name} names no staging bucket and STAGING_BUCKET is not set`,
      );
    }
    const selected = config.exports.filter(
      (entry) => request.exports === undefined || request.exports.includes(entry.name),
    );
    const outcomes: RunOutcome[] = [];
    for (const exportConfig of selected) {
      const runId = runIdFor({
        configName: config.name,
        exportName: exportConfig.name,
        requestKey: request.requestId ?? context.messageId,
        requestedAt: context.publishTime,
      });
      const logger = context.logger.child({ runId, exportName: exportConfig.name, configName: config.name });
      outcomes.push(
        await this.runner.run({
          config,
          exportConfig,
          request,
          runId,
          bucket,
          signal: context.signal,
          logger,
          deliveryAttempt: context.deliveryAttempt,
        }),
      );
      if (context.signal.aborted) break;
    }
    return summarise(outcomes, context.signal.aborted);
  }

  private async refuse(
    request: ExportRequested,
    context: MessageContext,
    refusal: { readonly code: string; readonly message: string; readonly exports?: readonly string[] },
  ): Promise<HandlerOutcome> {
    const occurredAt = formatInstant(instantFromMillis(this.clock.now().getTime()));
    await publishRefusal(this.publisher, request, context, refusal, occurredAt, context.logger);
    return Outcome.deadLetter(refusal.code, refusal.message);
  }
}

function summarise(outcomes: readonly RunOutcome[], aborted: boolean): HandlerOutcome {
  const failures = outcomes.flatMap((outcome) => (outcome.kind === 'failed' ? [outcome.error] : []));
  const transient = failures.find((error) => error.retryable);
  if (transient !== undefined) return Outcome.retry(transient.message);
  if (aborted) return Outcome.retry('shutting down');
  const permanent = failures[0];
  if (permanent !== undefined) {
    return Outcome.deadLetter(permanent.code, failures.map((error) => error.message).join('; '));
  }
  return Outcome.ack();
}
