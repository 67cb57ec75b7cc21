import type { TableField } from '../schema/table-field.js';

export interface DatasetReference {
  projectId: string;
  datasetId: string;
}

export interface TableReference extends DatasetReference {
  tableId: string;
}

/** The parts of a dataset resource that are kept; the rest is computed on read. */
export interface StoredDataset {
  datasetReference: DatasetReference;
  creationTime: string;
  location?: string;
  description?: string;
  friendlyName?: string;
  labels?: Record<string, string>;
}

/** The parts of a table resource that are kept; schema and counts come from DuckDB on read. */
export interface StoredTable {
  tableReference: TableReference;
  creationTime: string;
  type?: 'TABLE' | 'VIEW';
  schema?: { fields?: TableField[] };
  view?: { query: string; useLegacySql?: boolean };
  description?: string;
  friendlyName?: string;
  labels?: Record<string, string>;
  timePartitioning?: unknown;
  clustering?: unknown;
}
