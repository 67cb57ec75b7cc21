import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

import type { Catalog } from '../catalog/catalog.js';
import { qualifiedName } from '../catalog/catalog.js';
import type { DuckDbEngine } from '../engine/duckdb-engine.js';
import type { JobRecord } from '../jobs/job-record.js';
import { RESULTS_DB } from '../jobs/query-runner.js';
import type { TableField } from '../schema/table-field.js';
import { quoteIdent } from '../schema/type-mapping.js';
import { arrowSchema, serializeBatch, serializeSchema } from './arrow-batches.js';

/** The dataset id query results are addressed by (`configuration.query.destinationTable`). */
export const RESULTS_DATASET = '_local_query_results';

export interface StorageReadOptions {
  /** Rows per ReadRows response (one Arrow record batch), default 10 000. */
  readonly batchRows?: number;
  /** Session lifetime, default 6 h (BigQuery's). */
  readonly sessionTtlMs?: number;
}

/**
 * Fault injection for tests: `failReadRows` fails the `stream`-th ReadRows call of any
 * session (0-based across calls, `undefined`: the next call) with `code` after `afterRows`
 * rows; `stallReadRows` stops sending after `afterRows` rows and never ends the call;
 * `expireSessions` makes every session created so far expire now.
 */
export interface StorageFaults {
  failReadRows(options: { afterRows: number; code?: grpc.status; times?: number }): void;
  stallReadRows(options: { afterRows: number }): void;
  expireSessions(): void;
  /**
   * Every session, also those created later (until `clear`), expires once it has sent `rows`
   * rows: a session lost in the middle of a read, however far the client reads ahead.
   */
  expireSessionsAfter(rows: number): void;
  /** Refuses CreateReadSession with PERMISSION_DENIED until `allowSessions`. */
  denySessions(): void;
  allowSessions(): void;
  clear(): void;
  /**
   * Sessions created and ReadRows calls received so far (to tell which path a read took), the
   * ReadRows calls open now and the most open at once (since `clear`), the rows sent in batches.
   */
  stats(): {
    sessions: number;
    readRowsCalls: number;
    openReadRows: number;
    peakOpenReadRows: number;
    rowsSent: number;
  };
  /** Rows per Arrow batch from now on (`undefined`: back to the server's `batchRows`). */
  setBatchRows(rows: number | undefined): void;
}

interface SessionStream {
  readonly name: string;
  readonly start: bigint;
  readonly end: bigint;
}

interface Session {
  readonly name: string;
  readonly source: string;
  readonly fields: TableField[];
  readonly streams: SessionStream[];
  expiresAt: number;
  rowsSent: number;
}

export interface StorageReadServer extends StorageFaults {
  /** `HOST:PORT` for `BIGQUERY_STORAGE_EMULATOR_HOST` (insecure channel). */
  readonly host: string;
  stop(): Promise<void>;
}

interface Context {
  readonly projectId: string;
  readonly engine: DuckDbEngine;
  readonly catalog: Catalog;
  readonly jobs: ReadonlyMap<string, JobRecord>;
}

const requireFromHere = createRequire(import.meta.url);

function loadService(): grpc.ServiceDefinition {
  // The client's own descriptors: the server speaks exactly the protocol the client was built for.
  const json = requireFromHere('@google-cloud/bigquery-storage/build/protos/protos.json') as Parameters<
    typeof protoLoader.fromJSON
  >[0];
  const definition = protoLoader.fromJSON(json, {
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const pkg = grpc.loadPackageDefinition(definition) as unknown as {
    google: {
      cloud: { bigquery: { storage: { v1: { BigQueryRead: { service: grpc.ServiceDefinition } } } } };
    };
  };
  return pkg.google.cloud.bigquery.storage.v1.BigQueryRead.service;
}

function grpcError(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}

/**
 * The BigQuery Storage Read API (v1) on the local DuckDB: CreateReadSession (Arrow only, flat
 * tables and query results, up to `maxStreamCount` streams over contiguous row ranges),
 * ReadRows (with `offset` to resume), SplitReadStream (answers with no split, as BigQuery may).
 * Not implemented: Avro, row restrictions, selected fields, snapshot time, the write API.
 */
export async function startStorageReadServer(
  context: Context,
  host: string,
  port: number,
  options: StorageReadOptions = {},
): Promise<StorageReadServer> {
  let batchRows = options.batchRows ?? 10_000;
  const ttl = options.sessionTtlMs ?? 6 * 3600_000;
  const sessions = new Map<string, Session>();
  let sequence = 0;
  let readCalls = 0;
  let openCalls = 0;
  let peakOpen = 0;
  let rowsSent = 0;
  let failure: { afterRows: number; code: grpc.status; call: number | undefined; times: number } | undefined;
  let stall: { afterRows: number } | undefined;
  let denied = false;
  let expireAfterRows: number | undefined;

  async function resolveTable(
    table: string,
  ): Promise<{ source: string; fields: TableField[]; rows: bigint }> {
    const match = /^projects\/([^/]+)\/datasets\/([^/]+)\/tables\/([^/]+)$/.exec(table);
    if (match === null) throw grpcError(grpc.status.INVALID_ARGUMENT, `Invalid table name: ${table}`);
    const [, , dataset, id] = match as unknown as [string, string, string, string];
    if (dataset === RESULTS_DATASET) {
      const record = [...context.jobs.values()].find(
        (job) => job.resultTable === `${RESULTS_DB}.${quoteIdent(id)}`,
      );
      if (record?.resultTable === undefined)
        throw grpcError(grpc.status.NOT_FOUND, `Not found: Table ${table}`);
      return { source: record.resultTable, fields: record.fields ?? [], rows: record.totalRows };
    }
    try {
      const info = await context.catalog.tableInfo(dataset, id);
      return {
        source: qualifiedName(dataset, id),
        fields: info.fields,
        rows: await context.catalog.rowCount(dataset, id),
      };
    } catch {
      throw grpcError(grpc.status.NOT_FOUND, `Not found: Table ${table}`);
    }
  }

  const service: grpc.UntypedServiceImplementation = {
    CreateReadSession(call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) {
      void (async () => {
        if (denied)
          throw grpcError(grpc.status.PERMISSION_DENIED, 'Permission denied: bigquery.readsessions.create');
        const request = call.request as {
          parent: string;
          readSession: { table: string; dataFormat: string };
          maxStreamCount: number;
        };
        if (request.readSession.dataFormat !== 'ARROW') {
          throw grpcError(
            grpc.status.INVALID_ARGUMENT,
            `data_format ${request.readSession.dataFormat} is not served (ARROW only)`,
          );
        }
        const table = await resolveTable(request.readSession.table);
        let schema;
        try {
          schema = arrowSchema(table.fields);
        } catch (error) {
          throw grpcError(grpc.status.INVALID_ARGUMENT, (error as Error).message);
        }
        const name = `projects/${context.projectId}/locations/us/sessions/s${++sequence}`;
        const count = BigInt(Math.max(1, Math.min(Number(request.maxStreamCount) || 1, 16)));
        const streamCount = table.rows === 0n ? 1n : count > table.rows ? table.rows : count;
        const streams: SessionStream[] = [];
        for (let i = 0n; i < streamCount; i++) {
          streams.push({
            name: `${name}/streams/${i.toString()}`,
            start: (table.rows * i) / streamCount,
            end: (table.rows * (i + 1n)) / streamCount,
          });
        }
        const expiresAt = Date.now() + ttl;
        sessions.set(name, {
          name,
          source: table.source,
          fields: table.fields,
          streams,
          expiresAt,
          rowsSent: 0,
        });
        return {
          name,
          expireTime: { seconds: String(Math.floor(expiresAt / 1000)), nanos: 0 },
          dataFormat: 'ARROW',
          arrowSchema: { serializedSchema: Buffer.from(serializeSchema(schema)) },
          table: request.readSession.table,
          streams: streams.map((stream) => ({ name: stream.name })),
          estimatedRowCount: table.rows.toString(),
        };
      })().then(
        (response) => callback(null, response),
        (error: grpc.ServiceError) =>
          callback(error.code === undefined ? grpcError(grpc.status.INTERNAL, String(error)) : error),
      );
    },

    ReadRows(call: grpc.ServerWritableStream<unknown, unknown>) {
      const call_ = readCalls++;
      peakOpen = Math.max(peakOpen, ++openCalls);
      let open = true;
      const closed = (): void => {
        if (open) openCalls--;
        open = false;
      };
      call.once('cancelled', closed);
      void (async () => {
        const request = call.request as { readStream: string; offset: string };
        const sessionName = request.readStream.replace(/\/streams\/\d+$/, '');
        const session = sessions.get(sessionName);
        const stream = session?.streams.find((s) => s.name === request.readStream);
        if (session === undefined || stream === undefined) {
          throw grpcError(grpc.status.NOT_FOUND, `Not found: stream ${request.readStream}`);
        }
        const schema = arrowSchema(session.fields);
        const schemaBytes = serializeSchema(schema).length;
        const columns = session.fields.map((field) => quoteIdent(field.name)).join(', ');
        const fail =
          failure !== undefined && (failure.call === undefined || failure.call === call_)
            ? failure
            : undefined;
        if (fail !== undefined && --fail.times <= 0) failure = undefined;
        const stallNow = stall;
        stall = undefined;
        let position = stream.start + BigInt(request.offset || '0');
        let sent = 0;
        while (position < stream.end) {
          if (call.cancelled) return;
          if (expireAfterRows !== undefined && session.rowsSent >= expireAfterRows) session.expiresAt = 0;
          if (Date.now() > session.expiresAt) {
            throw grpcError(grpc.status.FAILED_PRECONDITION, `read session ${session.name} has expired`);
          }
          let size = BigInt(batchRows);
          const limit = fail?.afterRows ?? stallNow?.afterRows;
          if (limit !== undefined) {
            if (sent >= limit) {
              if (fail !== undefined) throw grpcError(fail.code, 'injected ReadRows failure');
              return new Promise<void>(() => undefined); // stalled: never sends again, never ends
            }
            if (BigInt(limit - sent) < size) size = BigInt(limit - sent);
          }
          if (position + size > stream.end) size = stream.end - position;
          const result = await context.engine.all(
            `SELECT ${columns} FROM ${session.source} LIMIT ${size.toString()} OFFSET ${position.toString()}`,
          );
          const rows = result.getRows();
          const written = call.write({
            arrowRecordBatch: {
              serializedRecordBatch: Buffer.from(serializeBatch(schema, schemaBytes, rows)),
              rowCount: String(rows.length),
            },
            rowCount: String(rows.length),
          });
          position += BigInt(rows.length);
          sent += rows.length;
          rowsSent += rows.length;
          session.rowsSent += rows.length;
          if (!written) await new Promise<void>((resolve) => call.once('drain', resolve));
        }
        if (fail !== undefined && sent >= fail.afterRows)
          throw grpcError(fail.code, 'injected ReadRows failure');
      })().then(
        () => {
          closed();
          call.end();
        },
        // An 'error' on a server stream ends the call with that status.
        (error: grpc.ServiceError) => {
          closed();
          call.emit(
            'error',
            error.code === undefined ? grpcError(grpc.status.INTERNAL, String(error)) : error,
          );
        },
      );
    },

    SplitReadStream(call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) {
      // No split offered: the whole stream stays the primary one (BigQuery may answer so too).
      callback(null, { primaryStream: { name: (call.request as { name: string }).name } });
    },
  };

  const server = new grpc.Server();
  server.addService(loadService(), service);
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (error, actual) =>
      error === null ? resolve(actual) : reject(error),
    ),
  );
  return {
    host: `${host}:${bound}`,
    failReadRows({ afterRows, code = grpc.status.UNAVAILABLE, times = 1 }) {
      failure = { afterRows, code, call: undefined, times };
    },
    stallReadRows({ afterRows }) {
      stall = { afterRows };
    },
    expireSessions() {
      for (const session of sessions.values()) session.expiresAt = 0;
    },
    expireSessionsAfter(rows) {
      expireAfterRows = rows;
    },
    denySessions() {
      denied = true;
    },
    allowSessions() {
      denied = false;
    },
    stats: () => ({
      sessions: sequence,
      readRowsCalls: readCalls,
      openReadRows: openCalls,
      peakOpenReadRows: peakOpen,
      rowsSent,
    }),
    setBatchRows(rows) {
      batchRows = rows ?? options.batchRows ?? 10_000;
    },
    clear() {
      peakOpen = openCalls;
      expireAfterRows = undefined;
      failure = undefined;
      stall = undefined;
      denied = false;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.forceShutdown();
        resolve();
      }),
  };
}
