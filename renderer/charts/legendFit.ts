/**
 * How many of a short legend's entries fit its rows with "+N more" after them, laid out as the
 * stylesheet's flex-wrap lays them out (each row filled left to right, `gap` between items), from
 * widths measured on a canvas: no layout of the page is forced at each refresh to find out.
 * At least one entry is named.
 */
export function entriesThatFit(entryWidths: readonly number[], moreWidth: number, rowWidth: number, rows: number, gap: number): number {
  const rowsFor = (widths: readonly number[]): number => {
    let row = 1;
    let x = 0;
    for (const width of widths) {
      if (x > 0 && x + width > rowWidth) {
        row++;
        x = 0;
      }
      x += width + gap;
    }
    return row;
  };
  for (let count = entryWidths.length; count > 1; count--) {
    if (rowsFor([...entryWidths.slice(0, count), moreWidth]) <= rows) return count;
  }
  return Math.min(1, entryWidths.length);
}
