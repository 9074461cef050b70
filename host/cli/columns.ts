/** Lays out rows as columns: the first column left-aligned (names), the others right-aligned (numbers). */
export function columns(rows: readonly (readonly string[])[], leftAligned = 1): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, column) => (widths[column] = Math.max(widths[column] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, column) => (column < leftAligned ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
      .join("  ")
      .trimEnd(),
  );
}
