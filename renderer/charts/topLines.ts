import type { ChartLine } from "./chartSpecs.js";

/** One entry of a big chart's short legend: a line, its newest value, and whether its stage is pointed at. */
export interface TopLine {
  /** The line's index in the chart's spec (its uPlot series is this + 1). */
  index: number;
  line: ChartLine;
  value: number | null;
  focused: boolean;
}

/**
 * What a chart with a line per stage names in its legend: the pointed-at stage's lines first, then
 * the highest lines now (a user watching 200 stages asks which are busiest or fullest, and reads
 * the rest off the graph), `count` in all; `hidden` is how many lines go unnamed.
 */
export function topLines(
  lines: readonly ChartLine[],
  latest: readonly (number | null | undefined)[],
  focusedStage: string | null,
  count: number,
): { entries: TopLine[]; hidden: number } {
  const all = lines.map((line, index): TopLine => ({
    index,
    line,
    value: latest[index] ?? null,
    focused: focusedStage !== null && line.stage === focusedStage,
  }));
  // A line with no value yet ranks below every number (not NaN, which would unsettle the sort).
  const higher = (a: TopLine, b: TopLine): number =>
    a.value === b.value ? 0 : a.value === null ? 1 : b.value === null ? -1 : b.value - a.value;
  const entries = all
    .sort((a, b) => Number(b.focused) - Number(a.focused) || higher(a, b) || a.index - b.index)
    .slice(0, Math.max(count, all.filter((entry) => entry.focused).length));
  return { entries, hidden: lines.length - entries.length };
}
