import { Topics } from '@bq-sftp-export/contracts';
import type { TopicName } from '@bq-sftp-export/contracts';

import type { MessageCase, MessageTemplates } from './message-cases.js';

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');

/**
 * Well-formed messages that name what does not exist or try to leave the partner's directory:
 * unknown configs, exports and destinations, a staged object that is not there, and file names
 * or directories with `../`, absolute paths, percent-encoding and NUL. `elsewhere` is a directory
 * the SFTP account can write to that is not the configured one.
 */
export function handlerCases(templates: MessageTemplates, elsewhere: string): MessageCase[] {
  const file = templates.fileReady;
  const request = (
    body: Record<string, unknown>,
    name: string,
    code: string,
    reason: string,
  ): MessageCase => ({
    topic: Topics.exportRequests,
    name,
    data: json(body),
    attributes: {},
    code,
    reason,
  });
  const fileReady = (
    changes: Record<string, unknown>,
    name: string,
    code: string,
    reason: string,
  ): MessageCase => ({
    topic: Topics.fileReady,
    name,
    data: json({ ...file, runId: `${file.runId}-bad`, ...changes }),
    attributes: {},
    code,
    reason,
  });
  const invalidName = (fileName: string, name: string): MessageCase =>
    fileReady({ fileName }, `a file name ${name}`, 'MESSAGE_INVALID', 'fileName');
  const event = (
    topic: TopicName,
    changes: Record<string, unknown>,
    name: string,
    code: string,
    reason: string,
  ) => ({
    topic,
    name,
    data: json({ ...templates.event, runId: `${templates.event.runId}-bad`, ...changes }),
    attributes: {},
    code,
    reason,
  });
  return [
    request({ config: 'no_such_config' }, 'an unknown config', 'CONFIG_NOT_FOUND', 'no_such_config'),
    request(
      { config: 'default', exports: ['no_such_export'] },
      'an unknown export',
      'EXPORT_UNKNOWN',
      'no_such_export',
    ),
    request({ config: '../../etc/passwd' }, 'a config name with ../', 'MESSAGE_INVALID', 'config'),
    fileReady({ configName: 'no_such_config' }, 'an unknown config', 'CONFIG_NOT_FOUND', 'no_such_config'),
    fileReady(
      { destination: 'no_such_destination' },
      'an unknown destination',
      'DESTINATION_UNKNOWN',
      'no_such_destination',
    ),
    fileReady(
      { gcs: { ...file.gcs, uri: `${file.gcs.uri}-missing` } },
      'a staged object that does not exist',
      'STAGED_OBJECT_MISSING',
      'staged',
    ),
    invalidName('../../../etc/cron.d/bqx', 'with ../'),
    invalidName('/etc/passwd', 'that is absolute'),
    invalidName('%2e%2e%2f%2e%2e%2fbqx.csv', 'percent-encoded (%2e%2e%2f)'),
    invalidName('bqx\u0000.csv', 'with NUL'),
    fileReady(
      { remoteDirectory: `${file.remoteDirectory}/../..` },
      'a remote directory with ..',
      'MESSAGE_INVALID',
      'remoteDirectory',
    ),
    fileReady(
      { remoteDirectory: elsewhere },
      'a remote directory other than the destination’s',
      'DESTINATION_MISMATCH',
      'remoteDirectory',
    ),
    event(
      Topics.exportEvents,
      { configName: 'no_such_config' },
      'an unknown config',
      'CONFIG_NOT_FOUND',
      'no_such_config',
    ),
  ];
}
