import { DuckDBTypeId } from '@duckdb/node-api';
import type { DuckDBType } from '@duckdb/node-api';
import { ApiError } from '../http/api-error.js';
import type { TableField } from './table-field.js';

/** The BigQuery field a DuckDB column reads back as (query results, tables made by SQL DDL). */
export function fieldFromDuckDb(name: string, type: DuckDBType): TableField {
  if (type.typeId === DuckDBTypeId.LIST || type.typeId === DuckDBTypeId.ARRAY) {
    const element = fieldFromDuckDb(name, type.valueType);
    if (element.mode === 'REPEATED') {
      throw new ApiError('invalidQuery', `Column ${name}: arrays of arrays are not allowed in BigQuery`);
    }
    return { ...element, mode: 'REPEATED' };
  }
  if (type.typeId === DuckDBTypeId.STRUCT) {
    const fields = type.entryNames.map((entry, index) => fieldFromDuckDb(entry, type.entryTypes[index]!));
    return { name, type: 'RECORD', mode: 'NULLABLE', fields };
  }
  return { name, type: scalarType(name, type), mode: 'NULLABLE' };
}

function scalarType(name: string, type: DuckDBType): string {
  if (type.alias === 'JSON') return 'JSON';
  switch (type.typeId) {
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.UUID:
    case DuckDBTypeId.ENUM:
      return 'STRING';
    case DuckDBTypeId.BLOB:
      return 'BYTES';
    case DuckDBTypeId.BOOLEAN:
      return 'BOOLEAN';
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return 'INTEGER';
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return 'FLOAT';
    case DuckDBTypeId.DECIMAL:
      return type.width === 38 && type.scale === 18 ? 'BIGNUMERIC' : 'NUMERIC';
    case DuckDBTypeId.DATE:
      return 'DATE';
    case DuckDBTypeId.TIME:
      return 'TIME';
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return 'DATETIME';
    case DuckDBTypeId.TIMESTAMP_TZ:
      return 'TIMESTAMP';
    case DuckDBTypeId.SQLNULL:
      return 'INTEGER';
    default:
      throw new ApiError(
        'invalidQuery',
        `Column ${name}: DuckDB type ${type.toString()} has no BigQuery equivalent here`,
      );
  }
}
