/** Statistics and scheduling helpers shared by the suites: medians, interleaved rounds, targets. */
import { performance } from "node:perf_hooks";

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The q-quantile (0..1) by linear interpolation between the nearest ranks. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError("quantile of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/**
 * Round-by-round ratios of two variants that ran in the same rounds. On a machine whose speed
 * drifts (other processes come and go), each round's pair shares the conditions, so the median
 * of these ratios is steadier than the ratio of the two medians.
 */
export function pairedRatios(values: readonly number[], references: readonly number[]): number[] {
  if (values.length !== references.length)
    throw new RangeError(`pairedRatios: ${values.length} values against ${references.length} references`);
  return values.map((value, round) => ratio(value, references[round]));
}

/**
 * The order variants run in, round by round. Each round starts one variant later than the one
 * before (A B C, B C A, C A B, …): on a noisy machine a fixed order would hand the same variant
 * the same neighbour (its garbage, its JIT state, a thermal phase) every time.
 */
export function interleavedOrder(variantCount: number, rounds: number): number[][] {
  const order: number[][] = [];
  for (let round = 0; round < rounds; round++) {
    order.push(Array.from({ length: variantCount }, (_, position) => (round + position) % variantCount));
  }
  return order;
}

export interface Variant<R> {
  name: string;
  run: () => Promise<R>;
}

export interface InterleaveHooks<R> {
  /** Runs before every measured run. */
  beforeRun?: () => void | Promise<void>;
  /** Runs after each measured run, for progress lines. */
  afterRun?: (info: { round: number; rounds: number; name: string; result: R }) => void;
}

/**
 * Runs every variant once per round, in interleavedOrder; returns each variant's results in round
 * order. No forced GC between runs: tried here, a gc() before each run made the engine's
 * 100k-item no-op runs about half as fast (~550k/s against ~1M/s once warm) and left 1M-item runs
 * alone, an artefact no user sees; the rotation spreads one run's garbage over all variants instead.
 */
export async function interleave<R>(
  variants: readonly Variant<R>[],
  rounds: number,
  hooks: InterleaveHooks<R> = {},
): Promise<Map<string, R[]>> {
  const names = new Set(variants.map((variant) => variant.name));
  if (names.size !== variants.length) throw new Error("interleave: variant names must be unique");
  const results = new Map<string, R[]>(variants.map((variant) => [variant.name, []]));
  const order = interleavedOrder(variants.length, rounds);
  for (let round = 0; round < rounds; round++) {
    for (const index of order[round]) {
      const variant = variants[index];
      await hooks.beforeRun?.();
      const result = await variant.run();
      results.get(variant.name)!.push(result);
      hooks.afterRun?.({ round: round + 1, rounds, name: variant.name, result });
    }
  }
  return results;
}

export interface Target {
  /** "atLeast": the ratio must be ≥ value; "atMost": ≤ value. */
  kind: "atLeast" | "atMost";
  value: number;
}

export function meetsTarget(ratio: number, target: Target): boolean {
  if (!Number.isFinite(ratio)) return false;
  return target.kind === "atLeast" ? ratio >= target.value : ratio <= target.value;
}

export function ratio(value: number, reference: number): number {
  return reference === 0 ? Number.NaN : value / reference;
}

export function formatTarget(target: Target, suffix = "×"): string {
  return `${target.kind === "atLeast" ? "≥" : "≤"} ${target.value}${suffix}`;
}

/**
 * Items per second in steady state: the least-squares slope of "items delivered" against the
 * delivery times, leaving out the first `skipFraction` of items (pool start-up, pipeline fill).
 * A slope, unlike (count / span), does not care whether the window's ends fall inside a burst.
 */
export function steadyRate(deliveredAtMs: readonly number[], skipFraction = 0.1): number {
  const start = Math.min(deliveredAtMs.length - 2, Math.floor(deliveredAtMs.length * skipFraction));
  if (start < 0) throw new RangeError("steadyRate needs at least two deliveries");
  const count = deliveredAtMs.length - start;
  let meanTime = 0;
  let meanIndex = 0;
  for (let i = start; i < deliveredAtMs.length; i++) {
    meanTime += deliveredAtMs[i];
    meanIndex += i;
  }
  meanTime /= count;
  meanIndex /= count;
  let covariance = 0;
  let variance = 0;
  for (let i = start; i < deliveredAtMs.length; i++) {
    const dt = deliveredAtMs[i] - meanTime;
    covariance += dt * (i - meanIndex);
    variance += dt * dt;
  }
  if (variance === 0) return Number.POSITIVE_INFINITY;
  return (covariance / variance) * 1000;
}

/** Items per second over a whole run. */
export function rate(items: number, elapsedMs: number): number {
  return (items / elapsedMs) * 1000;
}

/** Fails a run loudly if a contender lost or invented items: a fast wrong answer is no result. */
export function assertCount(contender: string, counted: number, expected: number): void {
  if (counted !== expected) throw new Error(`${contender} delivered ${counted} items, expected ${expected}`);
}

export interface Timed<T> {
  result: T;
  elapsedMs: number;
  /**
   * Process CPU time ÷ wall time. For single-threaded work ≈ 1 (a little over with GC helper
   * threads); well under 1 means another process took the core during the run.
   */
  cpuShare: number;
}

export async function timed<T>(run: () => Promise<T>): Promise<Timed<T>> {
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const result = await run();
  const elapsedMs = performance.now() - startedAt;
  const cpu = process.cpuUsage(cpuBefore);
  return { result, elapsedMs, cpuShare: (cpu.user + cpu.system) / 1000 / elapsedMs };
}
