import { loadExportConfig, type ConfigSource, type ExportConfig } from '@bq-sftp-export/config';
import type { ExportRequested } from '@bq-sftp-export/contracts';
import { Outcome, type HandlerOutcome, type MessageContext } from '@bq-sftp-export/runtime';
import { inject, injectable } from 'inversify';

import { ExportConfigSource } from './config-source.port.js';
import { asAppError } from './errors.js';
import { ExportRunner, type RunOutcome } from './export-runner.js';
import { ExtractorSettings } from './extractor-settings.js';
import { runIdFor } from './run-id.js';

/**
 * `export.requested`: load the named config, pick the exports, run each in turn. The request
 * is acked when every run ended (staged, empty, skipped as busy, already done); nacked when
 * one failed transiently (finished runs are recognised on redelivery and not repeated);
 * dead-lettered with the reason when one failed permanently or the request cannot be served.
 */
@injectable()
export class ExportRequestedHandler {
  constructor(
    @inject(ExportConfigSource) private readonly configs: ConfigSource,
    @inject(ExportRunner) private readonly runner: ExportRunner,
    @inject(ExtractorSettings) private readonly settings: ExtractorSettings,
  ) {}

  async handle(request: ExportRequested, context: MessageContext): Promise<HandlerOutcome> {
    let config: ExportConfig;
    try {
      config = await loadExportConfig(this.configs, request.config);
    } catch (error) {
      const appError = asAppError(error);
      if (appError.retryable) return Outcome.retry(appError.message);
      return Outcome.deadLetter(appError.code, appError.message);
    }
    const known = new Set(config.exports.map((entry) => entry.name));
    const unknown = (request.exports ?? []).filter((name) => !known.has(name));
    if (unknown.length > 0) {
      return Outcome.deadLetter(
        'EXPORT_UNKNOWN',
        `config ${config.name} has no export named ${unknown.join(', ')}`,
      );
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
