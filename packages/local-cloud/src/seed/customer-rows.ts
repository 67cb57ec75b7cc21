import { createHash } from 'node:crypto';

import { Faker, base, de, en, es_MX, ja, fr } from '@faker-js/faker';

/** A customer row as inserted: timestamps as ISO-8601 strings with microseconds, NULL as null. */
export type CustomerRow = Record<string, string | number | null>;

export interface CustomerRowOptions {
  readonly count: number;
  /** Same seed, same rows. */
  readonly seed: number;
  readonly sourceType: string;
  /** The first row's `last_updated_at`; later rows move forward in small steps, some equal. */
  readonly start: Date;
  /** Added to every id, so two batches never share one. */
  readonly idOffset?: number;
}

const key = (value: string): string => createHash('sha256').update(value).digest('hex').slice(0, 16);

/** ISO-8601 with six fraction digits, as BigQuery keeps TIMESTAMP. */
function isoMicros(ms: number, micros: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.(\d{3})Z$/, (_m, f: string) => `.${f}${String(micros).padStart(3, '0')}Z`);
}

/**
 * Realistic customer rows with the values that break naive exporters: commas, quotes and
 * newlines inside fields, unicode from several scripts, leading formula characters, NULLs in
 * every nullable column, and runs of rows sharing one `last_updated_at` (window boundaries).
 */
export function generateCustomerRows(options: CustomerRowOptions): CustomerRow[] {
  const faker = new Faker({ locale: [en, de, fr, es_MX, ja, base], seed: options.seed });
  const rows: CustomerRow[] = [];
  let clock = options.start.getTime();
  for (let i = 0; i < options.count; i++) {
    // Every fourth row shares the previous row's timestamp.
    if (i % 4 !== 3) clock += faker.number.int({ min: 1, max: 90_000 });
    const micros =
      i % 4 === 3 ? Number(String(rows.at(-1)?.['last_updated_at']).slice(23, 26)) : faker.number.int(999);
    const first = faker.person.firstName();
    const last = i % 17 === 5 ? `O'${faker.person.lastName()}` : faker.person.lastName();
    const email = faker.internet.email({ firstName: first, lastName: last }).toLowerCase();
    const phone = faker.phone.number();
    const line1 = faker.location.streetAddress();
    const nullable = <T>(value: T, every: number, offset: number): T | null =>
      i % every === offset ? null : value;
    const awkward = [
      `${line1}, Apt ${faker.number.int(99)}`,
      `"The Loft", ${line1}`,
      `${line1}\nBuilding ${faker.string.alpha(1).toUpperCase()}`,
      `=HYPERLINK("x")`,
      `Straße ${faker.number.int(200)} · 東京都 🏠`,
    ];
    const created = clock - faker.number.int({ min: 86_400_000, max: 400 * 86_400_000 });
    rows.push({
      id: (options.idOffset ?? 0) + i + 1,
      address_key: key(`${line1}|${i}`),
      name_key: key(`${first} ${last}`),
      phone_key: nullable(key(phone), 9, 4),
      email_key: key(email),
      source_type: options.sourceType,
      customer_id: `${options.sourceType.slice(0, 3).toUpperCase()}-${faker.string.numeric(8)}`,
      address_type: faker.helpers.arrayElement(['billing', 'shipping', 'home']),
      addr_line_1: i % 6 === 2 ? awkward[((i / 6) % awkward.length) | 0]! : line1,
      addr_line_2: nullable(faker.location.secondaryAddress(), 3, 0),
      city: faker.location.city(),
      state: nullable(faker.location.state({ abbreviated: true }), 11, 7),
      country: faker.location.countryCode(),
      postal_code: nullable(faker.location.zipCode(), 13, 1),
      first_name: first,
      last_name: last,
      phone: nullable(phone, 9, 4),
      email: nullable(email, 23, 11),
      last_updated_at: isoMicros(clock, micros),
      created_at: nullable(isoMicros(created, 0), 19, 3),
      batch_runtime: isoMicros(options.start.getTime(), 0),
      _run_id: nullable(faker.string.uuid(), 29, 8),
    });
  }
  return rows;
}
