import { DomainError } from './domain-error.js';

/**
 * BigQuery identifiers accepted in export definitions. Deliberately narrower than BigQuery
 * allows (no dashes, spaces or unicode in names), so a validated name is safe inside backticks
 * and can never close the quote, start a comment or end the statement.
 */
const columnPattern = /^[A-Za-z_][A-Za-z0-9_]{0,299}$/;
const datasetPattern = /^[A-Za-z0-9_]{1,1024}$/;
const tablePattern = /^[A-Za-z0-9_]{1,1024}$/;
/** Project ids: 6–30 lowercase letters, digits and dashes, starting with a letter. */
const projectPattern = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

export interface TableReference {
  readonly projectId: string | undefined;
  readonly datasetId: string;
  readonly tableId: string;
}

/** Parses the seed's `source_table`: `dataset.table` or `project.dataset.table`. */
export function parseTableReference(text: string, field = 'source_table'): TableReference {
  const parts = text.split('.');
  const [projectId, datasetId, tableId] = parts.length === 2 ? [undefined, ...parts] : parts;
  if (
    (parts.length !== 2 && parts.length !== 3) ||
    (projectId !== undefined && !projectPattern.test(projectId)) ||
    datasetId === undefined ||
    !datasetPattern.test(datasetId) ||
    tableId === undefined ||
    !tablePattern.test(tableId)
  ) {
    throw new DomainError(
      'IDENTIFIER_INVALID',
      `${field} must be "dataset.table" or "project.dataset.table" of letters, digits and underscores`,
      field,
    );
  }
  return { projectId, datasetId, tableId };
}

/** Validates a column name and returns it backtick-quoted. */
export function quoteColumn(name: string, field = 'columns'): string {
  if (!columnPattern.test(name)) {
    throw new DomainError(
      'IDENTIFIER_INVALID',
      `${field} holds a name that is not a valid column identifier`,
      field,
    );
  }
  return `\`${name}\``;
}

/** The table path with each part backtick-quoted: `` `p`.`d`.`t` ``. */
export function quoteTable(table: TableReference): string {
  const parts =
    table.projectId === undefined
      ? [table.datasetId, table.tableId]
      : [table.projectId, table.datasetId, table.tableId];
  return parts.map((part) => `\`${part}\``).join('.');
}
