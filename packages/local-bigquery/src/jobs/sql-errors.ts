import { ApiError, isApiError } from '../http/api-error.js';
import type { TableRef } from '../sql/translation.js';

/**
 * Turns a DuckDB error into the API error BigQuery would answer with; `tables` (those the query
 * names) give a missing table its dataset, as BigQuery's message has it.
 */
export function toApiError(error: unknown, projectId: string, tables: readonly TableRef[] = []): ApiError {
  if (isApiError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n')[0] ?? message;
  const table = /Table with name "?([^"\s!]+)"? does not exist/.exec(firstLine);
  if (table !== null) {
    const name = table[1]!;
    const ref = tables.find(
      (candidate) => candidate.table === name || `${candidate.dataset}.${candidate.table}` === name,
    );
    const qualified = ref === undefined ? name : `${ref.dataset}.${ref.table}`;
    return new ApiError(
      'notFound',
      `Not found: Table ${projectId}:${qualified} was not found in location US`,
      { cause: error },
    );
  }
  const schema = /Schema with name "?([^"\s!]+)"? does not exist/.exec(firstLine);
  if (schema !== null) {
    return new ApiError(
      'notFound',
      `Not found: Dataset ${projectId}:${schema[1]!} was not found in location US`,
      { cause: error },
    );
  }
  return new ApiError(
    'invalidQuery',
    firstLine.replace(
      /^(?:Error: )?(Parser|Binder|Catalog|Conversion|Invalid Input|Constraint|Not implemented) Error: /,
      '$1 error: ',
    ),
    { cause: error },
  );
}
