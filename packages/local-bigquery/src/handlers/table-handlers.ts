import { qualifiedName } from '../catalog/catalog.js';
import type { StoredTable } from '../catalog/resources.js';
import { ApiError } from '../http/api-error.js';
import type { RouteHandler, Router } from '../http/router.js';
import type { TableField } from '../schema/table-field.js';
import { duckDbType, quoteIdent } from '../schema/type-mapping.js';
import { translate } from '../sql/translate.js';
import { toApiError } from '../jobs/sql-errors.js';
import { asObject, checkProject, etag, pickDescriptive } from './api-context.js';
import type { ApiContext } from './api-context.js';

type Editable = Pick<
  StoredTable,
  'description' | 'friendlyName' | 'labels' | 'timePartitioning' | 'clustering'
>;

function pickEditable(body: Record<string, unknown>): Editable {
  return {
    ...pickDescriptive(body),
    ...(body['timePartitioning'] !== undefined ? { timePartitioning: body['timePartitioning'] } : {}),
    ...(body['clustering'] !== undefined ? { clustering: body['clustering'] } : {}),
  };
}

function schemaFields(body: Record<string, unknown>): TableField[] | undefined {
  const schema = body['schema'];
  if (schema === undefined) return undefined;
  const fields = asObject(schema)['fields'];
  if (!Array.isArray(fields)) throw new ApiError('invalid', 'schema.fields must be a list');
  return fields as TableField[];
}

async function tableResource(
  context: ApiContext,
  datasetId: string,
  tableId: string,
): Promise<Record<string, unknown>> {
  const info = await context.catalog.tableInfo(datasetId, tableId);
  const stored = info.stored;
  const numRows =
    info.kind === 'TABLE' ? (await context.catalog.rowCount(datasetId, tableId)).toString() : undefined;
  const creationTime = stored?.creationTime ?? '0';
  const resource = {
    kind: 'bigquery#table',
    id: `${context.projectId}:${datasetId}.${tableId}`,
    selfLink: `/bigquery/v2/projects/${context.projectId}/datasets/${datasetId}/tables/${tableId}`,
    tableReference: { projectId: context.projectId, datasetId, tableId },
    type: info.kind,
    schema: { fields: info.fields },
    creationTime,
    lastModifiedTime: (context.catalog.lastWriteMicros(datasetId, tableId) / 1000n).toString(),
    location: context.location,
    ...(numRows !== undefined ? { numRows, numBytes: '0', numLongTermBytes: '0' } : {}),
    ...(info.kind === 'VIEW' && stored?.view !== undefined
      ? { view: { query: stored.view.query, useLegacySql: false } }
      : {}),
    ...(stored !== undefined ? pickEditable(stored as unknown as Record<string, unknown>) : {}),
  };
  return { ...resource, etag: etag(resource) };
}

/** tables.insert, get, list, patch/update, delete. */
export function addTableRoutes(router: Router, context: ApiContext): void {
  const { catalog } = context;
  const base = '/projects/{p}/datasets/{d}/tables';
  router.add('POST', base, async ({ params, body }) => {
    checkProject(context, params[0]);
    const datasetId = params[1]!;
    const request = asObject(body);
    const tableId = asObject(request['tableReference'] ?? {})['tableId'];
    if (typeof tableId !== 'string')
      throw new ApiError('invalid', 'Required parameter is missing: tableReference.tableId');
    const view = request['view'] === undefined ? undefined : asObject(request['view']);
    const fields = schemaFields(request);
    const stored: StoredTable = {
      tableReference: { projectId: context.projectId, datasetId, tableId },
      creationTime: String(Date.now()),
      type: view === undefined ? 'TABLE' : 'VIEW',
      ...(fields !== undefined ? { schema: { fields } } : {}),
      ...(view !== undefined ? { view: { query: String(view['query']), useLegacySql: false } } : {}),
      ...pickEditable(request),
    };
    let viewSql: string | undefined;
    if (view !== undefined) {
      if (view['useLegacySql'] === true) throw new ApiError('invalid', 'Legacy SQL views are not emulated');
      viewSql = translate(String(view['query']), {
        projectId: context.projectId,
        namedParameters: new Map(),
        positionalParameters: [],
      }).sql;
    }
    try {
      await catalog.createTable(stored, viewSql);
    } catch (error) {
      throw toApiError(error, context.projectId);
    }
    return { body: await tableResource(context, datasetId, tableId) };
  });
  router.add('GET', base, async ({ params }) => {
    checkProject(context, params[0]);
    const datasetId = params[1]!;
    await catalog.requireDataset(datasetId);
    const tables = (await catalog.listTables(datasetId)).map(({ tableId, kind }) => ({
      kind: 'bigquery#table',
      id: `${context.projectId}:${datasetId}.${tableId}`,
      tableReference: { projectId: context.projectId, datasetId, tableId },
      type: kind,
    }));
    return { body: { kind: 'bigquery#tableList', etag: etag(tables), tables, totalItems: tables.length } };
  });
  router.add('GET', `${base}/{t}`, async ({ params }) => {
    checkProject(context, params[0]);
    return { body: await tableResource(context, params[1]!, params[2]!) };
  });
  const update: RouteHandler = async ({ params, body }) => {
    checkProject(context, params[0]);
    const [, datasetId, tableId] = params as [string, string, string];
    const info = await catalog.tableInfo(datasetId, tableId);
    const request = asObject(body);
    const fields = schemaFields(request);
    if (fields !== undefined) await addColumns(context, datasetId, tableId, info.fields, fields);
    const stored: StoredTable = {
      ...(info.stored ?? {
        tableReference: { projectId: context.projectId, datasetId, tableId },
        creationTime: String(Date.now()),
      }),
      ...pickEditable(request),
      ...(fields !== undefined ? { schema: { fields } } : {}),
    };
    await catalog.saveTable(stored);
    return { body: await tableResource(context, datasetId, tableId) };
  };
  router.add('PATCH', `${base}/{t}`, update);
  router.add('PUT', `${base}/{t}`, update);
  router.add('DELETE', `${base}/{t}`, async ({ params }) => {
    checkProject(context, params[0]);
    await catalog.deleteTable(params[1]!, params[2]!);
    return { status: 204 };
  });
}

/** Schema updates may only add NULLABLE or REPEATED columns at the end, as in BigQuery. */
async function addColumns(
  context: ApiContext,
  datasetId: string,
  tableId: string,
  current: TableField[],
  next: TableField[],
): Promise<void> {
  const kept = next.slice(0, current.length).map((field) => field.name);
  if (next.length < current.length || kept.some((name, index) => name !== current[index]!.name)) {
    throw new ApiError(
      'invalid',
      'Provided Schema does not match Table: only adding columns at the end is emulated',
    );
  }
  for (const field of next.slice(current.length)) {
    if (field.mode === 'REQUIRED') throw new ApiError('invalid', `Cannot add required field ${field.name}`);
    await context.engine.all(
      `ALTER TABLE ${qualifiedName(datasetId, tableId)} ADD COLUMN ${quoteIdent(field.name)} ${duckDbType(field)}`,
    );
  }
}
