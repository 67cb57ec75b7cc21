import type { Catalog } from '../catalog/catalog.js';
import type { DuckDbEngine } from '../engine/duckdb-engine.js';
import type { TableFaults } from '../faults/table-faults.js';
import { ApiError } from '../http/api-error.js';
import type { JobRecord } from '../jobs/job-record.js';
import type { QueryRunner } from '../jobs/query-runner.js';
import type { InsertIdWindow } from '../tabledata/insert-id-window.js';

/** What the request handlers share. */
export interface ApiContext {
  readonly projectId: string;
  readonly location: string;
  readonly engine: DuckDbEngine;
  readonly catalog: Catalog;
  readonly runner: QueryRunner;
  readonly jobs: Map<string, JobRecord>;
  readonly insertIds: InsertIdWindow;
  /** Fault controls armed by tests. */
  readonly faults: TableFaults;
  /** Rows per result page when a request gives no maxResults. */
  readonly pageRows: number;
}

/** The emulator serves one project; any other is not found, as for a project you cannot see. */
export function checkProject(context: ApiContext, projectId: string | undefined): void {
  if (projectId !== context.projectId)
    throw new ApiError('notFound', `Not found: Project ${projectId ?? ''}`);
}

export function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ApiError('invalid', 'Request body must be a JSON object');
  return body as Record<string, unknown>;
}

/** A query-string integer (maxResults), or undefined. */
export function intParam(query: URLSearchParams, name: string): number | undefined {
  const text = query.get(name);
  if (text === null || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new ApiError('invalid', `Invalid value for ${name}`);
  return value;
}

export function etag(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64').slice(-24);
}

/** The descriptive fields datasets and tables share, taken from a request body. */
export function pickDescriptive(body: Record<string, unknown>): {
  description?: string;
  friendlyName?: string;
  labels?: Record<string, string>;
} {
  return {
    ...(typeof body['description'] === 'string' ? { description: body['description'] } : {}),
    ...(typeof body['friendlyName'] === 'string' ? { friendlyName: body['friendlyName'] } : {}),
    ...(typeof body['labels'] === 'object' && body['labels'] !== null
      ? { labels: body['labels'] as Record<string, string> }
      : {}),
  };
}
