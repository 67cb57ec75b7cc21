import { qualifiedName } from '../catalog/catalog.js';
import type { DuckDbEngine } from '../engine/duckdb-engine.js';
import { ApiError, isApiError } from '../http/api-error.js';
import type { Router } from '../http/router.js';
import { readPage } from '../jobs/result-pages.js';
import type { TableField } from '../schema/table-field.js';
import { quoteIdent } from '../schema/type-mapping.js';
import { RowError, fieldParameterType, recordValues } from '../tabledata/row-values.js';
import { sqlLiteral } from '../values/sql-literal.js';
import { asObject, checkProject, intParam } from './api-context.js';
import type { ApiContext } from './api-context.js';

interface InsertError {
  index: number;
  errors: { reason: string; location: string; message: string }[];
}

const BATCH_ROWS = 500;

/** A row's values as DuckDB literals, in schema order, or the reason it cannot be inserted. */
function rowLiterals(fields: readonly TableField[], json: unknown, ignoreUnknownValues: boolean): string[] {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new RowError('', 'Row is not a JSON object.');
  const values = recordValues(fields, json as Record<string, unknown>, ignoreUnknownValues);
  return fields.map((field) => sqlLiteral(fieldParameterType(field), values[field.name]));
}

async function firstFailingRows(
  engine: DuckDbEngine,
  rows: { index: number; literals: string[] }[],
): Promise<InsertError[]> {
  const errors: InsertError[] = [];
  for (const row of rows) {
    try {
      await engine.all(`SELECT ${row.literals.join(', ')}`);
    } catch (error) {
      const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
      errors.push({ index: row.index, errors: [{ reason: 'invalid', location: '', message }] });
    }
  }
  return errors;
}

/** tabledata.insertAll (with insertId de-duplication) and tabledata.list. */
export function addTabledataRoutes(router: Router, context: ApiContext): void {
  const { catalog, engine } = context;
  const base = '/projects/{p}/datasets/{d}/tables/{t}';
  router.add('POST', `${base}/insertAll`, async ({ params, body }) => {
    checkProject(context, params[0]);
    const [, datasetId, tableId] = params as [string, string, string];
    context.faults.checkInsert(datasetId, tableId);
    const info = await catalog.tableInfo(datasetId, tableId);
    if (info.kind === 'VIEW')
      throw new ApiError('invalid', `Cannot add rows to a table of type VIEW: ${datasetId}.${tableId}`);
    const request = asObject(body);
    if (request['templateSuffix'] !== undefined)
      throw new ApiError('invalid', 'insertAll templateSuffix is not emulated');
    const ignoreUnknownValues = request['ignoreUnknownValues'] === true;
    const skipInvalidRows = request['skipInvalidRows'] === true;
    const rows = Array.isArray(request['rows'])
      ? (request['rows'] as { insertId?: string; json?: unknown }[])
      : [];
    const key = `${datasetId}.${tableId}`;
    const valid: { index: number; literals: string[]; insertId?: string | undefined }[] = [];
    let errors: InsertError[] = [];
    const idsInRequest = new Set<string>();
    rows.forEach((row, index) => {
      try {
        const literals = rowLiterals(info.fields, row.json, ignoreUnknownValues);
        const insertId = typeof row.insertId === 'string' && row.insertId !== '' ? row.insertId : undefined;
        if (insertId !== undefined && (idsInRequest.has(insertId) || context.insertIds.has(key, insertId)))
          return;
        if (insertId !== undefined) idsInRequest.add(insertId);
        valid.push({ index, literals, insertId });
      } catch (error) {
        if (!(error instanceof RowError) && !isApiError(error)) throw error;
        errors.push({
          index,
          errors: [
            {
              reason: 'invalid',
              location: error instanceof RowError ? error.location : '',
              message: error.message,
            },
          ],
        });
      }
    });
    const columns = info.fields.map((field) => quoteIdent(field.name)).join(', ');
    const insert = async (batch: typeof valid): Promise<void> => {
      const statements: string[] = [];
      for (let start = 0; start < batch.length; start += BATCH_ROWS) {
        const values = batch.slice(start, start + BATCH_ROWS).map((row) => `(${row.literals.join(', ')})`);
        statements.push(
          `INSERT INTO ${qualifiedName(datasetId, tableId)} (${columns}) VALUES ${values.join(', ')};`,
        );
      }
      if (statements.length === 0) return;
      await engine.exclusive(async (connection) => {
        try {
          await connection.run(`BEGIN TRANSACTION; ${statements.join(' ')} COMMIT;`);
        } catch (error) {
          await connection.run('ROLLBACK').catch(() => undefined);
          throw error;
        }
      });
    };
    if (errors.length === 0 || skipInvalidRows) {
      await context.runner.preserve(datasetId, tableId);
      try {
        await insert(valid);
      } catch {
        errors = [...errors, ...(await firstFailingRows(engine, valid))];
        if (skipInvalidRows) {
          const failed = new Set(errors.map((error) => error.index));
          await insert(valid.filter((row) => !failed.has(row.index)));
        }
      }
    }
    if (errors.length > 0 && !skipInvalidRows) {
      const failed = new Set(errors.map((error) => error.index));
      const stopped = rows.map((_, index) => index).filter((index) => !failed.has(index));
      return {
        body: {
          kind: 'bigquery#tableDataInsertAllResponse',
          insertErrors: [
            ...errors,
            ...stopped.map((index) => ({
              index,
              errors: [{ reason: 'stopped', location: '', message: '' }],
            })),
          ].sort((a, b) => a.index - b.index),
        },
      };
    }
    const failed = new Set(errors.map((error) => error.index));
    context.insertIds.remember(
      key,
      valid.filter((row) => !failed.has(row.index) && row.insertId !== undefined).map((row) => row.insertId!),
    );
    if (valid.length > 0) catalog.markWritten(datasetId, tableId);
    return {
      body: {
        kind: 'bigquery#tableDataInsertAllResponse',
        ...(errors.length > 0 ? { insertErrors: errors } : {}),
      },
    };
  });

  router.add('GET', `${base}/data`, async ({ params, query }) => {
    checkProject(context, params[0]);
    const [, datasetId, tableId] = params as [string, string, string];
    const info = await catalog.tableInfo(datasetId, tableId);
    if (info.kind === 'VIEW')
      throw new ApiError('invalid', `Cannot list a table of type VIEW: ${datasetId}.${tableId}`);
    const selected = query
      .get('selectedFields')
      ?.split(',')
      .map((name) => name.trim());
    const fields =
      selected === undefined ? info.fields : info.fields.filter((field) => selected.includes(field.name));
    const totalRows = await catalog.rowCount(datasetId, tableId);
    const page = await readPage(
      engine,
      qualifiedName(datasetId, tableId),
      'offset',
      fields,
      totalRows,
      {
        defaultRows: context.pageRows,
        maxResults: intParam(query, 'maxResults'),
        pageToken: query.get('pageToken') ?? undefined,
        startIndex: query.get('startIndex') ?? undefined,
      },
      { useInt64Timestamp: query.get('formatOptions.useInt64Timestamp') === 'true' },
    );
    return {
      body: {
        kind: 'bigquery#tableDataList',
        etag: totalRows.toString(),
        totalRows: totalRows.toString(),
        ...(page.pageToken !== undefined ? { pageToken: page.pageToken } : {}),
        ...(page.rows.length > 0 ? { rows: page.rows } : {}),
      },
    };
  });
}
