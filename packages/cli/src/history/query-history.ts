import { AppError } from '@bq-sftp-export/runtime';

import type { LazyClients } from '../cli/lazy-clients.js';

/** BigQuery timestamps arrive as `{ value: '…' }` objects; this gives their ISO text. */
export function plain(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && 'value' in value) return value.value;
  return value;
}

/**
 * Runs a query over one of tracker-notifier's history views. A missing view (404) is
 * `HISTORY_NOT_FOUND`, naming it; any other BigQuery error is passed on as it came.
 */
export async function queryHistoryView(
  clients: LazyClients,
  view: string,
  query: string,
  params: Record<string, unknown>,
): Promise<Record<string, unknown>[]> {
  try {
    const [rows] = await clients.get().bigquery.query({ query, params });
    return rows as Record<string, unknown>[];
  } catch (error) {
    if ((error as { code?: unknown }).code !== 404) throw error;
    throw new AppError(
      `${view} not found: tracker-notifier creates the history views the first time it records an event`,
      { code: 'HISTORY_NOT_FOUND', retryable: false, cause: error },
    );
  }
}
