import { formatMs, formatPercent, formatRate } from "../format.js";
import type { RunNodeSettings, RunReport, StageFigures } from "./runReport.js";

/**
 * Two run reports side by side, row by row, so a user sees whether a knob change helped:
 * the run's throughput, then each stage's throughput, latency and utilisation, then every
 * setting with the ones that differ marked.
 */

export type ComparisonSection = "run" | "stages" | "settings";
export type ComparisonUnit = "items/s" | "ms" | "fraction" | "count" | "text";
export type ComparisonValue = number | string | null;

export interface ComparisonRow {
  section: ComparisonSection;
  /** The stage the row is about, or null for the run as a whole and the pool. */
  stage: string | null;
  /** "items/s", "download latency p90", "download.concurrency". */
  label: string;
  unit: ComparisonUnit;
  a: ComparisonValue;
  b: ComparisonValue;
  /** (b − a) ÷ a: +0.25 means b is 25% higher. Null when either side is missing or not a number, or a is 0. */
  change: number | null;
  /**
   * Which run did better on this row; "same" within ±3% (run-to-run noise). Null where higher
   * is neither better nor worse (settings, utilisation, counts) or a side is missing.
   */
  better: "a" | "b" | "same" | null;
  /** The change as shown, from a to b: "+25%", "−12 pt" for fractions (points of 100), "" when none. */
  changeText: string;
  /** The two values are not equal (for a setting: the knob was changed). */
  differs: boolean;
}

/** Relative changes smaller than this are noise between two runs of the same settings. */
export const SAME_WITHIN = 0.03;

type Direction = "higher" | "lower" | "neutral";

export function compareRuns(a: RunReport, b: RunReport): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  const add = (
    section: ComparisonSection,
    stage: string | null,
    label: string,
    unit: ComparisonUnit,
    direction: Direction,
    valueA: ComparisonValue,
    valueB: ComparisonValue,
  ) => rows.push(row(section, stage, label, unit, direction, valueA, valueB));

  const sameWork = a.figures.itemsDelivered === b.figures.itemsDelivered;
  add("run", null, "items/s", "items/s", "higher", a.figures.itemsPerSecond, b.figures.itemsPerSecond);
  // A shorter run is better only when both delivered the same items.
  add("run", null, "elapsed", "ms", sameWork ? "lower" : "neutral", a.figures.elapsedMs, b.figures.elapsedMs);
  add("run", null, "items delivered", "count", "neutral", a.figures.itemsDelivered, b.figures.itemsDelivered);
  add("run", null, "failures", "count", "lower", a.figures.failures, b.figures.failures);
  if (a.figures.readiness !== null || b.figures.readiness !== null) {
    add("run", null, "readiness", "fraction", "higher", a.figures.readiness, b.figures.readiness);
  }
  add("run", null, "cpu", "fraction", "lower", a.figures.cpu, b.figures.cpu);
  add("run", null, "outcome", "text", "neutral", a.outcome, b.outcome);
  add("run", null, "bottleneck", "text", "neutral", a.bottleneck.stage ?? "none", b.bottleneck.stage ?? "none");

  for (const name of unionOf(a.figures.stages, b.figures.stages, (stage) => stage.name)) {
    const stageA = a.figures.stages.find((stage) => stage.name === name);
    const stageB = b.figures.stages.find((stage) => stage.name === name);
    const makesCalls = (stageA ?? stageB)?.kind === "pipe";
    add("stages", name, `${name} items/s`, "items/s", "higher", stageA?.itemsPerSecond ?? null, stageB?.itemsPerSecond ?? null);
    if (!makesCalls) continue;
    for (const quantile of ["p50", "p90", "p99"] as const) {
      add("stages", name, `${name} latency ${quantile}`, "ms", "lower", latency(stageA, quantile), latency(stageB, quantile));
    }
    // Busier is not better by itself: a saturated stage is the one to give more slots.
    add("stages", name, `${name} utilisation`, "fraction", "neutral", stageA?.utilisation ?? null, stageB?.utilisation ?? null);
    if ((stageA?.failures ?? 0) > 0 || (stageB?.failures ?? 0) > 0)
      add("stages", name, `${name} failures`, "count", "lower", stageA?.failures ?? null, stageB?.failures ?? null);
  }

  add("settings", null, "numThreads", "count", "neutral", a.settings.numThreads, b.settings.numThreads);
  add("settings", null, "maxFailures", "count", "neutral", a.settings.maxFailures, b.settings.maxFailures);
  if (a.settings.limit !== null || b.settings.limit !== null)
    add("settings", null, "limit", "count", "neutral", a.settings.limit, b.settings.limit);
  for (const id of unionOf(a.settings.nodes, b.settings.nodes, (node) => node.id)) {
    const nodeA = a.settings.nodes.find((node) => node.id === id);
    const nodeB = b.settings.nodes.find((node) => node.id === id);
    for (const knob of ["concurrency", "outputOrder", "queueSize"] as const satisfies readonly (keyof RunNodeSettings)[]) {
      const valueA = nodeA?.[knob] ?? null;
      const valueB = nodeB?.[knob] ?? null;
      if (valueA === null && valueB === null) continue;
      add("settings", id, `${id}.${knob}`, knob === "outputOrder" ? "text" : "count", "neutral", valueA, valueB);
    }
  }
  return rows;
}

function row(
  section: ComparisonSection,
  stage: string | null,
  label: string,
  unit: ComparisonUnit,
  direction: Direction,
  a: ComparisonValue,
  b: ComparisonValue,
): ComparisonRow {
  const numeric = typeof a === "number" && typeof b === "number";
  const change = numeric && a !== 0 ? (b - a) / a : null;
  const changeText =
    !numeric || a === b
      ? ""
      : unit === "fraction"
        ? `${signed(Math.round((b - a) * 100))} pt`
        : change === null
          ? ""
          : `${signed(round(change * 100))}%`;
  return {
    section,
    stage,
    label,
    unit,
    a,
    b,
    change,
    better: numeric ? judge(direction, a, b, change) : null,
    changeText,
    differs: a !== b,
  };
}

/**
 * One side of a row as both comparison tables show it, the CLI's `compare` and the app's Runs
 * dialog: null where that run has no such figure (each table has its own mark for it).
 */
export function formatComparisonValue(row: ComparisonRow, value: ComparisonValue): string | null {
  if (value === null) return null;
  if (typeof value === "string") return value;
  switch (row.unit) {
    case "items/s":
      return formatRate(value);
    case "ms":
      return formatMs(value);
    case "fraction":
      return formatPercent(value);
    default:
      return String(value);
  }
}

/** Whole percents, one decimal below 10 so small changes do not read as 0%. */
function round(percent: number): number {
  return Math.abs(percent) < 10 ? Math.round(percent * 10) / 10 : Math.round(percent);
}

function signed(value: number): string {
  return value > 0 ? `+${value}` : value < 0 ? `−${-value}` : "±0";
}

function judge(direction: Direction, a: number, b: number, change: number | null): ComparisonRow["better"] {
  if (direction === "neutral") return null;
  if (a === b || (change !== null && Math.abs(change) < SAME_WITHIN)) return "same";
  const bIsHigher = b > a;
  return bIsHigher === (direction === "higher") ? "b" : "a";
}

function latency(stage: StageFigures | undefined, quantile: "p50" | "p90" | "p99"): number | null {
  return stage?.latencyMs?.[`${quantile}Ms`] ?? null;
}

/** Names from a in a's order, then those only b has: a stage added or removed still gets its rows. */
function unionOf<T>(a: readonly T[], b: readonly T[], key: (item: T) => string): string[] {
  const names = a.map(key);
  for (const name of b.map(key)) if (!names.includes(name)) names.push(name);
  return names;
}
