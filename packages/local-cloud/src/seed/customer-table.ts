/**
 * The seed config's two source tables (`prod_staging.shopify_customerdata` and
 * `prod_staging.klaviyo_customerdata`) share one shape: the 22 columns the seed exports.
 */
export interface TableField {
  readonly name: string;
  readonly type: 'STRING' | 'INT64' | 'TIMESTAMP';
  readonly mode: 'NULLABLE' | 'REQUIRED';
}

const string = (name: string, mode: TableField['mode'] = 'NULLABLE'): TableField => ({
  name,
  type: 'STRING',
  mode,
});

export const customerTableSchema: readonly TableField[] = [
  { name: 'id', type: 'INT64', mode: 'REQUIRED' },
  string('address_key', 'REQUIRED'),
  string('name_key', 'REQUIRED'),
  string('phone_key'),
  string('email_key', 'REQUIRED'),
  string('source_type', 'REQUIRED'),
  string('customer_id', 'REQUIRED'),
  string('address_type', 'REQUIRED'),
  string('addr_line_1', 'REQUIRED'),
  string('addr_line_2'),
  string('city', 'REQUIRED'),
  string('state'),
  string('country', 'REQUIRED'),
  string('postal_code'),
  string('first_name', 'REQUIRED'),
  string('last_name', 'REQUIRED'),
  string('phone'),
  string('email'),
  { name: 'last_updated_at', type: 'TIMESTAMP', mode: 'REQUIRED' },
  { name: 'created_at', type: 'TIMESTAMP', mode: 'NULLABLE' },
  { name: 'batch_runtime', type: 'TIMESTAMP', mode: 'REQUIRED' },
  string('_run_id'),
];

export const seedTables = {
  shopify: { dataset: 'prod_staging', table: 'shopify_customerdata', sourceType: 'shopify' },
  klaviyo: { dataset: 'prod_staging', table: 'klaviyo_customerdata', sourceType: 'klaviyo' },
} as const;
