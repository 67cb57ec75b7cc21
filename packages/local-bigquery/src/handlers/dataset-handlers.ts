import type { StoredDataset } from '../catalog/resources.js';
import { ApiError } from '../http/api-error.js';
import type { RouteHandler, Router } from '../http/router.js';
import { asObject, checkProject, etag, pickDescriptive } from './api-context.js';
import type { ApiContext } from './api-context.js';

function datasetResource(
  context: ApiContext,
  datasetId: string,
  stored: StoredDataset | undefined,
): Record<string, unknown> {
  const creationTime = stored?.creationTime ?? '0';
  const resource = {
    kind: 'bigquery#dataset',
    id: `${context.projectId}:${datasetId}`,
    selfLink: `/bigquery/v2/projects/${context.projectId}/datasets/${datasetId}`,
    datasetReference: { projectId: context.projectId, datasetId },
    creationTime,
    lastModifiedTime: creationTime,
    location: stored?.location ?? context.location,
    type: 'DEFAULT',
    ...(stored?.description !== undefined ? { description: stored.description } : {}),
    ...(stored?.friendlyName !== undefined ? { friendlyName: stored.friendlyName } : {}),
    ...(stored?.labels !== undefined ? { labels: stored.labels } : {}),
  };
  return { ...resource, etag: etag(resource) };
}

/** datasets.insert, get, list, patch/update, delete. */
export function addDatasetRoutes(router: Router, context: ApiContext): void {
  const { catalog } = context;
  router.add('POST', '/projects/{p}/datasets', async ({ params, body }) => {
    checkProject(context, params[0]);
    const request = asObject(body);
    const reference = asObject(request['datasetReference'] ?? {});
    const datasetId = reference['datasetId'];
    if (typeof datasetId !== 'string')
      throw new ApiError('invalid', 'Required parameter is missing: datasetReference.datasetId');
    const stored: StoredDataset = {
      datasetReference: { projectId: context.projectId, datasetId },
      creationTime: String(Date.now()),
      ...(typeof request['location'] === 'string' ? { location: request['location'] } : {}),
      ...pickDescriptive(request),
    };
    await catalog.createDataset(stored);
    return { body: datasetResource(context, datasetId, stored) };
  });
  router.add('GET', '/projects/{p}/datasets', async ({ params }) => {
    checkProject(context, params[0]);
    const ids = await catalog.listDatasets();
    const datasets = ids.map((datasetId) => ({
      kind: 'bigquery#dataset',
      id: `${context.projectId}:${datasetId}`,
      datasetReference: { projectId: context.projectId, datasetId },
      location: context.location,
    }));
    return { body: { kind: 'bigquery#datasetList', etag: etag(ids), datasets } };
  });
  router.add('GET', '/projects/{p}/datasets/{d}', async ({ params }) => {
    checkProject(context, params[0]);
    const datasetId = params[1]!;
    await catalog.requireDataset(datasetId);
    return { body: datasetResource(context, datasetId, await catalog.storedDataset(datasetId)) };
  });
  const update: RouteHandler = async ({ params, body }) => {
    checkProject(context, params[0]);
    const datasetId = params[1]!;
    await catalog.requireDataset(datasetId);
    const current = (await catalog.storedDataset(datasetId)) ?? {
      datasetReference: { projectId: context.projectId, datasetId },
      creationTime: String(Date.now()),
    };
    const stored = { ...current, ...pickDescriptive(asObject(body)) };
    await catalog.saveDataset(stored);
    return { body: datasetResource(context, datasetId, stored) };
  };
  router.add('PATCH', '/projects/{p}/datasets/{d}', update);
  router.add('PUT', '/projects/{p}/datasets/{d}', update);
  router.add('DELETE', '/projects/{p}/datasets/{d}', async ({ params, query }) => {
    checkProject(context, params[0]);
    await catalog.deleteDataset(params[1]!, query.get('deleteContents') === 'true');
    return { status: 204 };
  });
}
