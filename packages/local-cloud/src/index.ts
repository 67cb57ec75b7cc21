export { customerTableSchema, seedTables } from './seed/customer-table.js';
export type { TableField } from './seed/customer-table.js';
export { generateCustomerRows } from './seed/customer-rows.js';
export type { CustomerRow, CustomerRowOptions } from './seed/customer-rows.js';
