import { RESULTS_DATASET } from '../storage/storage-read-server.js';
import type { JobRecord } from './job-record.js';

export function jobReference(
  projectId: string,
  record: JobRecord,
): { projectId: string; jobId: string; location: string } {
  return { projectId, jobId: record.jobId, location: record.location };
}

/** The `Job` resource of jobs.insert / jobs.get: always DONE, statistics as BigQuery names them. */
export function jobResource(projectId: string, record: JobRecord): Record<string, unknown> {
  const bytes = record.totalBytesProcessed.toString();
  return {
    kind: 'bigquery#job',
    etag: Buffer.from(`${record.jobId}:${record.endTime}`).toString('base64'),
    id: `${projectId}:${record.location}.${record.jobId}`,
    selfLink: `/bigquery/v2/projects/${projectId}/jobs/${record.jobId}?location=${record.location}`,
    user_email: 'local-bigquery@localhost',
    jobReference: jobReference(projectId, record),
    configuration: {
      ...record.configuration,
      ...destination(projectId, record),
      jobType: 'QUERY',
      ...(record.dryRun ? { dryRun: true } : {}),
    },
    status:
      record.error === undefined
        ? { state: 'DONE' }
        : { state: 'DONE', errorResult: record.error.toErrorProto(), errors: [record.error.toErrorProto()] },
    statistics: {
      creationTime: String(record.creationTime),
      startTime: String(record.creationTime),
      endTime: String(record.endTime),
      totalBytesProcessed: bytes,
      query: {
        totalBytesProcessed: bytes,
        totalBytesBilled: '0',
        cacheHit: false,
        ...(record.statementType !== undefined ? { statementType: record.statementType } : {}),
        ...(record.numDmlAffectedRows !== undefined
          ? { numDmlAffectedRows: record.numDmlAffectedRows.toString() }
          : {}),
        ...(record.fields !== undefined ? { schema: { fields: record.fields } } : {}),
      },
    },
  };
}

/** Where a SELECT's rows are (`configuration.query.destinationTable`), for the Storage Read API. */
function destination(projectId: string, record: JobRecord): Record<string, unknown> {
  const id = /"([^"]+)"$/.exec(record.resultTable ?? '')?.[1];
  if (id === undefined) return {};
  const query = (record.configuration['query'] ?? {}) as Record<string, unknown>;
  return { query: { ...query, destinationTable: { projectId, datasetId: RESULTS_DATASET, tableId: id } } };
}
