// The few parts of parquetjs-lite (untyped) that the benchmark uses.
declare module 'parquetjs-lite' {
  import type { Writable } from 'node:stream';

  export class ParquetSchema {
    constructor(fields: Record<string, { type: string; optional?: boolean }>);
  }
  export class ParquetWriter {
    static openStream(schema: ParquetSchema, out: Writable): Promise<ParquetWriter>;
    appendRow(row: Record<string, unknown>): Promise<void>;
    close(): Promise<void>;
  }
  const parquet: { ParquetSchema: typeof ParquetSchema; ParquetWriter: typeof ParquetWriter };
  export default parquet;
}
