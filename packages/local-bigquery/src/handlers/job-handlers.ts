import { randomUUID } from 'node:crypto';
import { ApiError } from '../http/api-error.js';
import type { Router } from '../http/router.js';
import type { JobRecord } from '../jobs/job-record.js';
import { jobReference, jobResource } from '../jobs/job-resource.js';
import type { QueryRequest } from '../jobs/query-request.js';
import { readPage } from '../jobs/result-pages.js';
import type { PageRequest } from '../jobs/result-pages.js';
import { asObject, checkProject, intParam } from './api-context.js';
import type { ApiContext } from './api-context.js';

/** The `jobComplete` answer of jobs.query and jobs.getQueryResults: schema, rows of one page, counts. */
async function queryResults(
  context: ApiContext,
  record: JobRecord,
  page: Omit<PageRequest, 'defaultRows'>,
  useInt64Timestamp: boolean,
): Promise<Record<string, unknown>> {
  const base = {
    jobReference: jobReference(context.projectId, record),
    jobComplete: true,
    totalBytesProcessed: record.totalBytesProcessed.toString(),
    cacheHit: false,
    ...(record.numDmlAffectedRows !== undefined
      ? { numDmlAffectedRows: record.numDmlAffectedRows.toString() }
      : {}),
  };
  if (record.resultTable === undefined || record.fields === undefined) return base;
  const result = await readPage(
    context.engine,
    record.resultTable,
    'rowid',
    record.fields,
    record.totalRows,
    { ...page, defaultRows: context.pageRows },
    { useInt64Timestamp },
  );
  return {
    ...base,
    schema: { fields: record.fields },
    totalRows: record.totalRows.toString(),
    ...(result.pageToken !== undefined ? { pageToken: result.pageToken } : {}),
    ...(result.rows.length > 0 ? { rows: result.rows } : {}),
  };
}

function findJob(context: ApiContext, jobId: string): JobRecord {
  const record = context.jobs.get(jobId);
  if (record === undefined)
    throw new ApiError('notFound', `Not found: Job ${context.projectId}:${context.location}.${jobId}`);
  return record;
}

/** jobs.query, jobs.insert (query jobs), jobs.get, jobs.list, jobs.cancel, jobs.getQueryResults. */
export function addJobRoutes(router: Router, context: ApiContext): void {
  router.add('POST', '/projects/{p}/queries', async ({ params, body }) => {
    checkProject(context, params[0]);
    const request = asObject(body) as QueryRequest & {
      maxResults?: number;
      formatOptions?: { useInt64Timestamp?: boolean };
    };
    const dryRun = request.dryRun === true;
    const record = await context.runner.run({
      jobId: `job_${randomUUID().replace(/-/g, '')}`,
      location: context.location,
      request,
      configuration: { query: { query: request.query, useLegacySql: false } },
      dryRun,
    });
    if (!dryRun) context.jobs.set(record.jobId, record);
    const results = dryRun
      ? {
          jobReference: jobReference(context.projectId, record),
          jobComplete: true,
          totalBytesProcessed: record.totalBytesProcessed.toString(),
        }
      : await queryResults(
          context,
          record,
          { maxResults: request.maxResults },
          request.formatOptions?.useInt64Timestamp === true,
        );
    return { body: { kind: 'bigquery#queryResponse', ...results } };
  });

  router.add('POST', '/projects/{p}/jobs', async ({ params, body }) => {
    checkProject(context, params[0]);
    const request = asObject(body);
    const configuration = asObject(request['configuration'] ?? {});
    if (configuration['query'] === undefined)
      throw new ApiError('invalid', 'Only query jobs are emulated (no load, extract or copy jobs)');
    const query = asObject(configuration['query']) as QueryRequest;
    const reference = asObject(request['jobReference'] ?? {});
    const jobId =
      typeof reference['jobId'] === 'string' ? reference['jobId'] : `job_${randomUUID().replace(/-/g, '')}`;
    if (context.jobs.has(jobId))
      throw new ApiError(
        'duplicate',
        `Already Exists: Job ${context.projectId}:${context.location}.${jobId}`,
      );
    const dryRun = configuration['dryRun'] === true || query.dryRun === true;
    const location = typeof reference['location'] === 'string' ? reference['location'] : context.location;
    const record = await context.runner.run({ jobId, location, request: query, configuration, dryRun });
    if (!dryRun) context.jobs.set(jobId, record);
    return { body: jobResource(context.projectId, record) };
  });

  router.add('GET', '/projects/{p}/jobs', async ({ params }) => {
    checkProject(context, params[0]);
    const jobs = [...context.jobs.values()]
      .reverse()
      .map((record) => ({ ...jobResource(context.projectId, record), state: 'DONE' }));
    return Promise.resolve({ body: { kind: 'bigquery#jobList', jobs } });
  });

  router.add('GET', '/projects/{p}/jobs/{j}', async ({ params }) => {
    checkProject(context, params[0]);
    return Promise.resolve({ body: jobResource(context.projectId, findJob(context, params[1]!)) });
  });

  router.add('POST', '/projects/{p}/jobs/{j}/cancel', async ({ params }) => {
    checkProject(context, params[0]);
    return Promise.resolve({
      body: {
        kind: 'bigquery#jobCancelResponse',
        job: jobResource(context.projectId, findJob(context, params[1]!)),
      },
    });
  });

  router.add('GET', '/projects/{p}/queries/{j}', async ({ params, query }) => {
    checkProject(context, params[0]);
    const record = findJob(context, params[1]!);
    const page = {
      maxResults: intParam(query, 'maxResults'),
      pageToken: query.get('pageToken') ?? undefined,
      startIndex: query.get('startIndex') ?? undefined,
    };
    const results = await queryResults(
      context,
      record,
      page,
      query.get('formatOptions.useInt64Timestamp') === 'true',
    );
    return { body: { kind: 'bigquery#getQueryResultsResponse', etag: record.jobId, ...results } };
  });
}
