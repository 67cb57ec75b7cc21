import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Catalog } from '../model/catalog.js';

/** One request, parsed once, with what every handler needs. */
export interface GcsRequest {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly method: string;
  readonly query: URLSearchParams;
  /** `http://host:port` as the client addressed the server. */
  readonly baseUrl: string;
  readonly catalog: Catalog;
}

/** Reads an optional non-negative integer query parameter. */
export function integerParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative integer`);
  return value;
}
