import { readFile } from 'node:fs/promises';

import type { ServiceProcess } from '@bq-sftp-export/demo';

/** Each service that has stopped without being asked to, by name; empty while all are up. */
export function stoppedServices(services: readonly ServiceProcess[]): string[] {
  return services.filter((service) => service.exitedEarly()).map((service) => service.name);
}

/** The JSON log lines of a service's log file that parse, in order. */
export async function logRecords(logFile: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  return text.split('\n').flatMap((line) => {
    try {
      const record = JSON.parse(line) as Record<string, unknown> | null;
      return typeof record === 'object' && record !== null ? [record] : [];
    } catch {
      return [];
    }
  });
}
