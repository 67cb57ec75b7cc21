import { describe, expect, it } from '@jest/globals';
import { translate } from './translate.js';
import type { TranslateOptions } from './translation.js';

const options: TranslateOptions = {
  projectId: 'proj',
  namedParameters: new Map([
    ['low', "CAST('2024-01-01 00:00:00+00' AS TIMESTAMPTZ)"],
    ['ids', "CAST(['a'] AS VARCHAR[])"],
  ]),
  positionalParameters: ['1', '2'],
};

const sqlOf = (query: string, extra: Partial<TranslateOptions> = {}): string =>
  translate(query, { ...options, ...extra }).sql;

describe('translate', () => {
  it('maps backticked project.dataset.table to dataset.table and records the table', () => {
    const result = translate('SELECT `ts` FROM `proj.ds.events` WHERE ts >= @low ORDER BY ts', options);
    expect(result.sql).toBe(
      `SELECT "ts" FROM "ds"."events" WHERE ts >= (CAST('2024-01-01 00:00:00+00' AS TIMESTAMPTZ)) ORDER BY ts`,
    );
    expect(result.tables).toEqual([{ dataset: 'ds', table: 'events' }]);
    expect(result.statementType).toBe('SELECT');
  });

  it('accepts separately quoted parts and unquoted dataset.table', () => {
    expect(sqlOf('SELECT a FROM `proj`.`ds`.`t`')).toBe('SELECT a FROM "ds"."t"');
    expect(sqlOf('SELECT a FROM ds.t')).toBe('SELECT a FROM ds.t');
  });

  it('qualifies a bare table with the default dataset, and refuses it without one', () => {
    expect(sqlOf('SELECT * FROM t', { defaultDataset: 'ds' })).toBe('SELECT * FROM "ds".t');
    expect(() => sqlOf('SELECT * FROM t')).toThrow(/qualified with a dataset/);
  });

  it('leaves CTE names alone', () => {
    expect(sqlOf('WITH x AS (SELECT 1 AS a) SELECT a FROM x')).toBe(
      'WITH x AS (SELECT 1 AS a) SELECT a FROM x',
    );
  });

  it('binds positional parameters in order and refuses a missing one', () => {
    expect(sqlOf('SELECT ? AS a, ? b')).toBe('SELECT (1) AS a, (2) b');
    expect(() => sqlOf('SELECT ?, ?, ?')).toThrow(/positional parameter 3/);
    expect(() => sqlOf('SELECT @nope')).toThrow(/'nope' not found/);
  });

  it('decodes GoogleSQL string literals into DuckDB ones', () => {
    expect(sqlOf(`SELECT "it's", 'a\\nb', r'\\d+', '''x'y'''`)).toBe(
      `SELECT 'it''s' AS "f0_", 'a\nb' AS "f1_", '\\d+' AS "f2_", 'x''y' AS "f3_"`,
    );
    expect(sqlOf("SELECT b'ab' AS b")).toBe("SELECT from_base64('YWI=') AS b");
  });

  it('translates types in CREATE TABLE and drops storage clauses', () => {
    const result = translate(
      'CREATE TABLE IF NOT EXISTS `proj.ds.t` (id INT64 NOT NULL, amount NUMERIC(10, 2), at TIMESTAMP OPTIONS(description="x"), tags ARRAY<STRING>, s STRUCT<a BOOL, b BYTES>) PARTITION BY DATE(at) CLUSTER BY id OPTIONS(description="t")',
      options,
    );
    expect(result.sql).toBe(
      'CREATE TABLE IF NOT EXISTS "ds"."t" (id BIGINT NOT NULL, amount DECIMAL(38,9), at TIMESTAMPTZ , tags VARCHAR[], s STRUCT("a" BOOLEAN, "b" BLOB)) ',
    );
    expect(result.statementType).toBe('CREATE_TABLE');
    expect(result.tables).toEqual([{ dataset: 'ds', table: 't' }]);
  });

  it('reports CREATE TABLE … AS SELECT as such', () => {
    expect(translate('CREATE TABLE ds.t AS SELECT 1 AS a', options).statementType).toBe(
      'CREATE_TABLE_AS_SELECT',
    );
  });

  it('translates CAST types, typed literals and SAFE_CAST', () => {
    expect(sqlOf('SELECT CAST(x AS INT64) x, SAFE_CAST(y AS FLOAT64) y, CAST(z AS ARRAY<DATETIME>) z')).toBe(
      'SELECT CAST(x AS BIGINT) x, TRY_CAST(y AS DOUBLE) y, CAST(z AS TIMESTAMP[]) z',
    );
    expect(sqlOf("SELECT TIMESTAMP '2024-01-01 00:00:00' AS a, DATETIME '2024-01-01T10:00:00' AS b")).toBe(
      "SELECT CAST('2024-01-01 00:00:00' AS TIMESTAMPTZ) AS a, CAST('2024-01-01T10:00:00' AS TIMESTAMP) AS b",
    );
  });

  it('keeps a column named like a type when it is not in a type position', () => {
    expect(sqlOf('SELECT timestamp, date FROM ds.t')).toBe('SELECT timestamp, date FROM ds.t');
  });

  it('keeps QUALIFY and window functions of a view', () => {
    const result = translate(
      'CREATE OR REPLACE VIEW `proj.ds.latest` AS SELECT * FROM `proj.ds.t` QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY at DESC) = 1',
      options,
    );
    expect(result.sql).toBe(
      'CREATE OR REPLACE VIEW "ds"."latest" AS SELECT * FROM "ds"."t" QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY at DESC) = 1',
    );
    expect(result.statementType).toBe('CREATE_VIEW');
  });

  it('removes FOR SYSTEM_TIME AS OF and records the table and time', () => {
    const result = translate('SELECT * FROM `proj.ds.t` FOR SYSTEM_TIME AS OF @low WHERE x = 1', options);
    expect(result.sql).toBe('SELECT * FROM "ds"."t"  WHERE x = 1');
    expect(result.snapshots).toEqual([
      {
        table: { dataset: 'ds', table: 't' },
        at: "(CAST('2024-01-01 00:00:00+00' AS TIMESTAMPTZ))",
        part: expect.any(Number),
      },
    ]);
    // The recorded part is the table's reference: a kept copy of the table can stand in for it.
    expect(result.sqlWith(new Map([[result.snapshots[0]!.part, 'bq_results."history_1"']]))).toBe(
      'SELECT * FROM bq_results."history_1"  WHERE x = 1',
    );
    const call = translate(
      'SELECT * FROM ds.t FOR SYSTEM_TIME AS OF TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 1 HOUR) AS x',
      options,
    );
    expect(call.snapshots[0]!.at).toBe('bq_sub(current_timestamp, INTERVAL 1 HOUR)');
    expect(call.sql).toBe('SELECT * FROM ds.t  AS x');
  });

  it('rewrites STRUCT constructors, UNNEST aliases, IN UNNEST and SELECT * EXCEPT', () => {
    expect(sqlOf("SELECT STRUCT('web' AS source, n, 1 + 1) AS s")).toBe(
      `SELECT struct_pack("source" := 'web', "n" := n, "_field_3" := 1 + 1) AS s`,
    );
    expect(sqlOf('SELECT n FROM UNNEST([1, 2]) AS n')).toBe(
      'SELECT n FROM UNNEST([1, 2]) AS "_unnest_1"("n")',
    );
    expect(sqlOf('SELECT id FROM ds.t WHERE id IN UNNEST(@ids)')).toBe(
      `SELECT id FROM ds.t WHERE id IN (SELECT UNNEST((CAST(['a'] AS VARCHAR[]))))`,
    );
    expect(sqlOf('SELECT * EXCEPT (a) FROM ds.t')).toBe('SELECT * EXCLUDE (a) FROM ds.t');
  });

  it('renames GoogleSQL functions DuckDB spells differently', () => {
    expect(
      sqlOf(
        'SELECT UNIX_MICROS(ts), COUNTIF(ok), CURRENT_TIMESTAMP(), DATE_SUB(d, INTERVAL 1 DAY) FROM ds.t',
      ),
    ).toBe(
      'SELECT epoch_us(ts) AS "f0_", count_if(ok) AS "f1_", current_timestamp AS "f2_", bq_date_sub(d, INTERVAL 1 DAY) AS "f3_" FROM ds.t',
    );
  });

  it('classifies DML and DDL statements', () => {
    expect(translate("INSERT INTO `proj.ds.t` (a) VALUES ('x')", options)).toMatchObject({
      statementType: 'INSERT',
      tables: [{ dataset: 'ds', table: 't' }],
    });
    expect(translate('INSERT ds.t (a) SELECT a FROM ds.s', options).tables).toEqual([
      { dataset: 'ds', table: 't' },
      { dataset: 'ds', table: 's' },
    ]);
    expect(translate('DELETE FROM ds.t WHERE TRUE', options).statementType).toBe('DELETE');
    expect(sqlOf('DELETE ds.t WHERE TRUE')).toBe('DELETE FROM ds.t WHERE TRUE');
    expect(translate('ALTER TABLE `proj.ds.t` ADD COLUMN IF NOT EXISTS note STRING', options)).toMatchObject({
      sql: 'ALTER TABLE "ds"."t" ADD COLUMN IF NOT EXISTS note VARCHAR',
      statementType: 'ALTER_TABLE',
      tables: [{ dataset: 'ds', table: 't' }],
    });
    expect(sqlOf('MERGE ds.t T USING ds.s S ON T.id = S.id WHEN MATCHED THEN DELETE')).toBe(
      'MERGE INTO ds.t T USING ds.s S ON T.id = S.id WHEN MATCHED THEN DELETE',
    );
    expect(translate('DROP TABLE IF EXISTS ds.t', options)).toMatchObject({
      statementType: 'DROP_TABLE',
      tables: [{ dataset: 'ds', table: 't' }],
    });
    expect(translate('CREATE SCHEMA IF NOT EXISTS ds', options).statementType).toBe('CREATE_SCHEMA');
  });

  it('does not take EXTRACT(… FROM col) for a table', () => {
    expect(translate('SELECT EXTRACT(YEAR FROM ts) FROM ds.t', options).tables).toEqual([
      { dataset: 'ds', table: 't' },
    ]);
  });

  it('refuses what it cannot run faithfully', () => {
    expect(() => sqlOf('SELECT 1; SELECT 2')).toThrow(/multi-statement/);
    expect(() => sqlOf('DECLARE x INT64')).toThrow(/Unsupported/);
    expect(() => sqlOf('PRAGMA version')).toThrow(/Unsupported/);
    expect(() => sqlOf('SELECT 1::INT64')).toThrow(/CAST/);
    expect(() => sqlOf('SELECT @@project_id')).toThrow(/system variables/);
    expect(() => sqlOf('SELECT x FROM UNNEST([1]) AS x WITH OFFSET')).toThrow(/WITH OFFSET/);
    expect(() => sqlOf('SELECT * FROM `other.ds.t`')).toThrow(/Project other/);
    expect(() => sqlOf("SELECT 'unclosed")).toThrow(/unclosed string/);
  });

  it('accepts trailing semicolons and comments', () => {
    expect(sqlOf('SELECT 1 AS one -- one\n# hash comment\n;  ')).toBe('SELECT 1 AS one');
    expect(sqlOf('SELECT /* c */ a # x\n, b;')).toBe('SELECT   a  \n, b');
  });

  it("names the query's unaliased expressions f0_, f1_, … as BigQuery does", () => {
    expect(
      sqlOf(
        'SELECT name, COUNT(*), MAX(ts) AS latest, t.id, CASE WHEN x THEN 1 END, NULL FROM ds.t GROUP BY name',
      ),
    ).toBe(
      'SELECT name, COUNT(*) AS "f0_", MAX(ts) AS latest, t.id, CASE WHEN x THEN 1 END AS "f1_", NULL AS "f2_" FROM ds.t GROUP BY name',
    );
    expect(sqlOf('SELECT DISTINCT * EXCEPT (a), t.* FROM ds.t')).toBe(
      'SELECT DISTINCT * EXCLUDE (a), t.* FROM ds.t',
    );
    expect(sqlOf('WITH c AS (SELECT 1) SELECT COUNT(*) FROM c UNION ALL SELECT 2')).toBe(
      'WITH c AS (SELECT 1) SELECT COUNT(*) AS "f0_" FROM c UNION ALL SELECT 2',
    );
  });
});
