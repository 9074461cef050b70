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

/** A level counts as "as good as the best" within this fraction of the best throughput. */
export const NEAR_BEST = 0.9;
/** Rising by less than this from one level to the next is "no longer helping". */
const STILL_RISING = 1.1;

/**
 * The concurrency past which more stops helping: the lowest level within 10 % of the best
 * throughput measured. Null when no call succeeded.
 */
export function saturationPoint(levels: readonly ProfileLevel[]): ProfileLevel | null {
  const best = Math.max(0, ...levels.map((level) => level.itemsPerSecond));
  if (best === 0) return null;
  return levels.find((level) => level.itemsPerSecond >= NEAR_BEST * best) ?? null;
}

/** True when the last two levels still show a clear gain: the sweep stopped before the curve flattened. */
export function stillRisingAtEnd(levels: readonly ProfileLevel[]): boolean {
  if (levels.length < 2) return false;
  const [before, last] = levels.slice(-2);
  return last.itemsPerSecond > STILL_RISING * before.itemsPerSecond;
}
