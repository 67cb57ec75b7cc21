import type { ApiError } from '../http/api-error.js';
import type { TableField } from '../schema/table-field.js';
import type { StatementType } from '../sql/translation.js';

/** A finished query job: its configuration, outcome and where its rows are. */
export interface JobRecord {
  readonly jobId: string;
  readonly location: string;
  readonly configuration: Record<string, unknown>;
  readonly dryRun: boolean;
  readonly statementType?: StatementType | undefined;
  /** The result table in the results database (SELECT only). */
  readonly resultTable?: string | undefined;
  readonly fields?: TableField[] | undefined;
  readonly totalRows: bigint;
  readonly numDmlAffectedRows?: bigint | undefined;
  readonly totalBytesProcessed: bigint;
  readonly creationTime: number;
  readonly endTime: number;
  readonly error?: ApiError | undefined;
}
