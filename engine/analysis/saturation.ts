/** Throughput of one stage at one concurrency, as the profile measured it. */
export interface ProfileLevel {
  concurrency: number;
  /** Pool threads during the step (pool stages get as many as their concurrency, up to the cap). */
  threads: number;
  /** Calls that finished without failing, per second. */
  itemsPerSecond: number;
  failures: number;
  /** Median call latency during the step. */
  p50Ms: number;
}

/** A level counts as "as good as the best" within this fraction of the best throughput (or within the noise, if larger). */
export const NEAR_BEST = 0.9;
/** The last level must beat every earlier one by more than this (or the noise, if larger) to be "still rising". */
const STILL_RISING = 1.1;
/** Noise is read from the curve's own falls; past this a fall is taken as real, not noise. */
const MAX_NOISE = 0.5;

/** Where a stage stops scaling, judged once so the sentence, the chart's marker and the button agree. */
export interface Saturation {
  /** The level to run at: past it more concurrency gains nothing beyond the noise; the last level when still rising. */
  point: ProfileLevel;
  /** The sweep ended before the curve flattened: the last level beats every earlier one by more than the noise. */
  stillRising: boolean;
  /** The measurement's spread as read from the curve (a fraction of throughput). */
  noise: number;
}

/**
 * The whole curve judged at once, noise-aware: more concurrency does not really lower a stage's
 * throughput below saturation, so the largest fall from one level to the next is taken as the
 * measurement's spread, and a point within that spread of the best is as good as the best. A
 * curve that peaks, dips and comes back at the last level is therefore not "still rising".
 * Null when no call succeeded.
 */
export function judgeSaturation(levels: readonly ProfileLevel[]): Saturation | null {
  const best = Math.max(0, ...levels.map((level) => level.itemsPerSecond));
  if (best === 0) return null;
  const noise = curveNoise(levels);
  const last = levels[levels.length - 1]!;
  const earlierBest = Math.max(0, ...levels.slice(0, -1).map((level) => level.itemsPerSecond));
  const stillRising = levels.length >= 2 && last.itemsPerSecond > earlierBest * Math.max(STILL_RISING, 1 + noise);
  const nearBest = Math.min(NEAR_BEST, 1 - noise) * best;
  const point = stillRising ? last : levels.find((level) => level.itemsPerSecond >= nearBest)!;
  return { point, stillRising, noise };
}

/** The concurrency past which more stops helping (judgeSaturation's point). Null when no call succeeded. */
export function saturationPoint(levels: readonly ProfileLevel[]): ProfileLevel | null {
  return judgeSaturation(levels)?.point ?? null;
}

/** True when the sweep stopped before the curve flattened (judgeSaturation's stillRising). */
export function stillRisingAtEnd(levels: readonly ProfileLevel[]): boolean {
  return judgeSaturation(levels)?.stillRising ?? false;
}

function curveNoise(levels: readonly ProfileLevel[]): number {
  let noise = 0;
  for (let i = 1; i < levels.length; i++) {
    const [before, after] = [levels[i - 1]!.itemsPerSecond, levels[i]!.itemsPerSecond];
    if (before > 0 && after < before) noise = Math.max(noise, 1 - after / before);
  }
  return Math.min(noise, MAX_NOISE);
}
