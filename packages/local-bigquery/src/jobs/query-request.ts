import type { ParameterType, ParameterValue } from '../values/sql-literal.js';

/** The query fields shared by `jobs.query` bodies and `configuration.query` of `jobs.insert`. */
export interface QueryRequest {
  query?: string;
  useLegacySql?: boolean;
  parameterMode?: string;
  queryParameters?: { name?: string; parameterType: ParameterType; parameterValue?: ParameterValue }[];
  defaultDataset?: { projectId?: string; datasetId: string };
  destination?: unknown;
  dryRun?: boolean;
}
