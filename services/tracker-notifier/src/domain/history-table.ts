/** Where the history table and its views live. */
export interface HistoryTable {
  readonly projectId: string;
  readonly datasetId: string;
  readonly tableId: string;
}

/**
 * The history table named by a config's `metadata_table` (`[project.]dataset.table`, validated
 * by the config package), in `defaultProjectId` when it names no project.
 */
export function historyTableOf(metadataTable: string, defaultProjectId: string): HistoryTable {
  const parts = metadataTable.split('.');
  const [tableId, datasetId, projectId] = [parts.at(-1), parts.at(-2), parts.at(-3)];
  if (tableId === undefined || datasetId === undefined || parts.length > 3) {
    throw new Error('metadata_table: expected [project.]dataset.table');
  }
  return Object.freeze({ projectId: projectId ?? defaultProjectId, datasetId, tableId });
}

/** `` `project.dataset.table` ``, the table or one of its views (`suffix`: `_runs`). */
export function qualifiedName(table: HistoryTable, suffix = ''): string {
  return `\`${table.projectId}.${table.datasetId}.${table.tableId}${suffix}\``;
}

export function tableKey(table: HistoryTable): string {
  return `${table.projectId}.${table.datasetId}.${table.tableId}`;
}
