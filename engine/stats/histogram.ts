/**
 * A fixed-size log-bucketed histogram of durations: O(1) to record, constant memory, quantiles
 * within ±1.1% relative error (64 buckets per power of two). It stands in for P²: the same
 * streaming property, plus it can be merged and reset, which the sliding latency window needs.
 *
 * It keeps the range of buckets in use: a stage's latencies span a few dozen of the 2 177, and
 * a snapshot merges, scans and resets a window of each stage's at 10 Hz (a 200-stage run's
 * snapshot walked 1.3 million buckets, most of its cost).
 */
const BUCKETS_PER_OCTAVE = 64;
/** Values are recorded in microseconds; 1 µs .. ~4.6 hours. */
const OCTAVES = 34;
const BUCKET_COUNT = BUCKETS_PER_OCTAVE * OCTAVES + 1;

export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKET_COUNT);
  count = 0;
  /** Sum of recorded values in ms, weighted. */
  sumMs = 0;
  maxMs = 0;
  /** The lowest and highest bucket in use; low > high when empty. */
  private low = BUCKET_COUNT;
  private high = -1;

  /** Records `weight` observations of `ms` (weight > 1 when calls are timed one in N). */
  record(ms: number, weight = 1): void {
    const micros = ms * 1000;
    const index = micros <= 1 ? 0 : Math.min(BUCKET_COUNT - 1, Math.ceil(Math.log2(micros) * BUCKETS_PER_OCTAVE));
    this.counts[index] += weight;
    if (index < this.low) this.low = index;
    if (index > this.high) this.high = index;
    this.count += weight;
    this.sumMs += ms * weight;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  get meanMs(): number {
    return this.count === 0 ? 0 : this.sumMs / this.count;
  }

  /** The q-quantile (0..1) in ms, or 0 when empty. */
  quantileMs(q: number): number {
    if (this.count === 0) return 0;
    const rank = q * this.count;
    let seen = 0;
    for (let i = this.low; i <= this.high; i++) {
      seen += this.counts[i];
      if (seen >= rank && this.counts[i] > 0) {
        // The bucket's geometric midpoint; bucket i holds (2^((i-1)/64), 2^(i/64)] µs.
        const micros = i === 0 ? 1 : Math.pow(2, (i - 0.5) / BUCKETS_PER_OCTAVE);
        return Math.min(micros / 1000, this.maxMs);
      }
    }
    return this.maxMs;
  }

  /** Several quantiles (ascending) in one pass over the buckets: snapshots take three at 10 Hz. */
  quantilesMs(qs: readonly number[]): number[] {
    const results = qs.map(() => this.maxMs);
    if (this.count === 0) return qs.map(() => 0);
    let next = 0;
    let seen = 0;
    for (let i = this.low; i <= this.high && next < qs.length; i++) {
      const inBucket = this.counts[i];
      if (inBucket === 0) continue;
      seen += inBucket;
      while (next < qs.length && seen >= qs[next] * this.count) {
        const micros = i === 0 ? 1 : Math.pow(2, (i - 0.5) / BUCKETS_PER_OCTAVE);
        results[next++] = Math.min(micros / 1000, this.maxMs);
      }
    }
    return results;
  }

  add(other: LatencyHistogram): void {
    for (let i = other.low; i <= other.high; i++) this.counts[i] += other.counts[i];
    if (other.low < this.low) this.low = other.low;
    if (other.high > this.high) this.high = other.high;
    this.count += other.count;
    this.sumMs += other.sumMs;
    if (other.maxMs > this.maxMs) this.maxMs = other.maxMs;
  }

  reset(): void {
    if (this.low <= this.high) this.counts.fill(0, this.low, this.high + 1);
    this.low = BUCKET_COUNT;
    this.high = -1;
    this.count = 0;
    this.sumMs = 0;
    this.maxMs = 0;
  }
}

export interface LatencySummary {
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function summarize(histogram: LatencyHistogram): LatencySummary {
  const [p50Ms, p90Ms, p99Ms] = histogram.quantilesMs([0.5, 0.9, 0.99]);
  return { meanMs: histogram.meanMs, p50Ms, p90Ms, p99Ms, maxMs: histogram.maxMs };
}
