/** What a suite hands back, and the two ways of printing it: a table, or one JSON object. */
import type { SuiteName } from "./args.js";
import { formatTarget, median, meetsTarget, quantile, ratio, type Target } from "./measure.js";

export type Unit = "items/s" | "bytes" | "ms" | "fraction" | "ratio" | "threads" | "fps" | "count";

/** One contender at one setting: every round's value and their median. */
export interface Measurement {
  setting: string;
  contender: string;
  unit: Unit;
  median: number;
  min: number;
  max: number;
  samples: number[];
  /** Anything a reader needs to trust the number (e.g. snapshots taken, measured latencies). */
  detail?: string;
}

/** A headline figure: the engine's value against a reference (a peer, an ideal, a baseline). */
export interface Figure {
  id: string;
  suite: SuiteName;
  label: string;
  unit: Unit;
  value: number;
  peer: { name: string; value: number };
  /** The median of the per-round ratios when both sides ran in the same rounds (see figure()), else value / peer.value. */
  ratio: number;
  /** Interquartile range of the per-round ratios: how far to trust `ratio` on a noisy machine. */
  ratioSpread: { low: number; high: number } | null;
  /** null: shown for context, nothing to pass or miss. */
  target: Target | null;
  pass: boolean | null;
  /** The target lies inside ratioSpread: PASS or MISS, the verdict is within this machine's noise. */
  withinNoise: boolean;
}

export interface SuiteResult {
  suite: SuiteName;
  title: string;
  /** The parameters the suite ran with, as printed above its table. */
  params: Record<string, string | number | boolean>;
  measurements: Measurement[];
  figures: Figure[];
  notes: string[];
}

export function measurement(setting: string, contender: string, unit: Unit, samples: readonly number[], detail?: string): Measurement {
  return {
    setting,
    contender,
    unit,
    median: median(samples),
    min: Math.min(...samples),
    max: Math.max(...samples),
    samples: [...samples],
    ...(detail === undefined ? {} : { detail }),
  };
}

/**
 * A figure judged on the median of `perRoundRatios` (the two sides measured in the same round,
 * or even the same run, as the engine's rate and the ideal from its own latencies), which keeps
 * one round's noise out of another's; without them, on value / peer.value.
 */
export function figure(fields: Omit<Figure, "ratio" | "ratioSpread" | "pass" | "withinNoise">, perRoundRatios?: readonly number[]): Figure {
  const figureRatio = perRoundRatios ? median(perRoundRatios) : ratio(fields.value, fields.peer.value);
  const ratioSpread =
    perRoundRatios && perRoundRatios.length > 1 ? { low: quantile(perRoundRatios, 0.25), high: quantile(perRoundRatios, 0.75) } : null;
  const withinNoise =
    fields.target !== null && ratioSpread !== null && ratioSpread.low < fields.target.value && fields.target.value < ratioSpread.high;
  return { ...fields, ratio: figureRatio, ratioSpread, pass: fields.target ? meetsTarget(figureRatio, fields.target) : null, withinNoise };
}

export function formatValue(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return String(value);
  switch (unit) {
    case "items/s":
      if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M/s`;
      if (value >= 1e4) return `${(value / 1e3).toFixed(1)}k/s`;
      return `${value.toFixed(1)}/s`;
    case "bytes":
      return `${(value / 2 ** 20).toFixed(1)} MiB`;
    case "ms":
      return `${value.toFixed(1)} ms`;
    case "fraction":
      return value.toFixed(3);
    case "ratio":
      return `${value.toFixed(2)}×`;
    case "threads":
      return `${value} thread${value === 1 ? "" : "s"}`;
    case "fps":
      return `${value.toFixed(1)} fps`;
    case "count":
      return String(Math.round(value));
  }
}

function formatRatio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(3)}×` : "n/a";
}

function formatSpread(spread: Figure["ratioSpread"]): string {
  return spread ? `${spread.low.toFixed(3)}–${spread.high.toFixed(3)}` : "";
}

function mark(figure: Figure): string {
  if (figure.pass === null) return "info";
  return `${figure.pass ? "PASS" : "MISS"}${figure.withinNoise ? "*" : ""}`;
}

/** Left-aligns text columns and right-aligns numeric ones. */
export function renderTable(header: readonly string[], rows: readonly string[][], numericColumns: ReadonlySet<number>): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (numericColumns.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n");
}

export function renderSuite(result: SuiteResult): string {
  const params = Object.entries(result.params)
    .map(([key, value]) => `${key}=${value}`)
    .join(", ");
  const parts = [`== ${result.title} ==`, `   (${params})`, ""];
  parts.push(
    renderTable(
      ["setting", "contender", "median", "min", "max", "detail"],
      result.measurements.map((m) => [
        m.setting,
        m.contender,
        formatValue(m.median, m.unit),
        formatValue(m.min, m.unit),
        formatValue(m.max, m.unit),
        m.detail ?? "",
      ]),
      new Set([2, 3, 4]),
    ),
  );
  if (result.figures.length > 0) parts.push("", renderFigures(result.figures));
  for (const note of result.notes) parts.push(`  note: ${note}`);
  return parts.join("\n");
}

export function renderFigures(figures: readonly Figure[]): string {
  return renderTable(
    ["figure", "measured", "against", "reference", "ratio", "IQR", "target", "mark"],
    figures.map((f) => [
      f.label,
      formatValue(f.value, f.unit),
      f.peer.name,
      formatValue(f.peer.value, f.unit),
      formatRatio(f.ratio),
      formatSpread(f.ratioSpread),
      f.target ? formatTarget(f.target) : "—",
      mark(f),
    ]),
    new Set([1, 3, 4, 5]),
  );
}

export interface BenchReport {
  mode: "quick" | "full";
  node: string;
  cpus: number;
  /** 1-minute load average before the first suite and after the last: other work competing for the cores. */
  loadAverage: { before: number; after: number };
  startedAt: string;
  durationSec: number;
  suites: SuiteResult[];
  figures: Figure[];
  summary: { pass: number; miss: number; info: number };
}

export function buildReport(
  mode: "quick" | "full",
  cpus: number,
  loadAverage: { before: number; after: number },
  startedAt: Date,
  durationSec: number,
  suites: SuiteResult[],
): BenchReport {
  const figures = suites.flatMap((suite) => suite.figures);
  return {
    mode,
    node: process.version,
    cpus,
    loadAverage,
    startedAt: startedAt.toISOString(),
    durationSec,
    suites,
    figures,
    summary: {
      pass: figures.filter((f) => f.pass === true).length,
      miss: figures.filter((f) => f.pass === false).length,
      info: figures.filter((f) => f.pass === null).length,
    },
  };
}

export function renderReport(report: BenchReport): string {
  const load = `load average ${report.loadAverage.before.toFixed(2)} before, ${report.loadAverage.after.toFixed(2)} after`;
  const header = `pipeline-studio benchmarks (${report.mode}) — node ${report.node}, ${report.cpus} cores, ${report.durationSec.toFixed(0)} s, ${load}`;
  const misses = report.figures.filter((f) => f.pass === false);
  const legend = [
    "measured / reference: medians over the rounds; ratio: median of the per-round ratios (IQR: their interquartile range) where both sides ran in the same rounds, else measured ÷ reference",
    "*: the target lies inside the IQR, so the verdict is within this machine's run-to-run noise",
  ].join("\n");
  const footer = [
    legend,
    `Summary: ${report.summary.pass} PASS, ${report.summary.miss} MISS (${report.summary.info} figures shown for context only)`,
    ...misses.map(
      (f) =>
        `  MISS${f.withinNoise ? "*" : ""} ${f.label}: ${formatRatio(f.ratio)} against target ${f.target ? formatTarget(f.target) : ""}`,
    ),
  ];
  return [header, "", ...report.suites.map((suite) => renderSuite(suite) + "\n"), ...footer].join("\n");
}
