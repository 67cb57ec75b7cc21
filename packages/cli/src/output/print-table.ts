import Table from 'cli-table3';

/** Rows as a plain text table (no colours, so it survives pipes and logs). */
export function renderTable(head: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const table = new Table({ head: [...head], style: { head: [], border: [] } });
  for (const row of rows)
    table.push(
      row.map((cell) =>
        cell === null || cell === undefined
          ? ''
          : typeof cell === 'object'
            ? JSON.stringify(cell)
            : String(cell as string | number | boolean | bigint),
      ),
    );
  return table.toString();
}
