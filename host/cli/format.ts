/** Number formats shared by the live display and the final table, so both read the same. */

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 1000 ? 3 : ms < 10_000 ? 2 : 1)} s`;
}

/** A running clock: one decimal, so a redrawn display does not jitter. */
export function formatElapsed(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function formatRate(perSecond: number): string {
  return perSecond >= 100 ? perSecond.toFixed(0) : perSecond.toFixed(1);
}

export function formatMs(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

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

/** "1 failure", "2 failures". */
export function count(value: number, noun: string): string {
  return `${value} ${noun}${value === 1 ? "" : "s"}`;
}
