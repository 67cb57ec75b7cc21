/** At most this many doublings of the seeded rows (each one copies the table into itself). */
const MAX_DOUBLINGS = 6;

/**
 * How many rows to seed so that `doublings` copies of the table into itself reach `rows`
 * exactly. The local BigQuery's insertAll takes ~0.4 ms a row here (every value is a SQL
 * literal DuckDB binds), an `INSERT … SELECT` a few seconds a million: 1M rows are seeded as
 * 15,625 and doubled 6 times.
 */
export function seedPlan(rows: number): { seeded: number; doublings: number } {
  let seeded = rows;
  let doublings = 0;
  while (doublings < MAX_DOUBLINGS && seeded % 2 === 0) {
    seeded /= 2;
    doublings++;
  }
  return { seeded, doublings };
}
