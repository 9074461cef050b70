import { LatencyHistogram } from "./histogram.js";

/** SPDL's per-operation wait of one side of a queue (`_StatsCounter` of StatsQueue's put or get). */
export interface OpWaitStats {
  /** Operations completed (items put, or items taken). */
  ops: number;
  /** Mean wait per operation, in ms: those that did not wait count as 0, as in SPDL. */
  avgMs: number;
  p90Ms: number;
  p99Ms: number;
}

/**
 * How long each put (or get) of a queue waited, every operation counted — those that found room
 * (or an item) at once as 0 ms — so the average and percentiles are per operation, as SPDL's
 * StatsQueue reports them. A wait of 0 costs two increments (the hot path takes no clock read);
 * zeros enter the histogram in bulk when stats are read.
 */
export class OpWaits {
  private readonly histogram = new LatencyHistogram();
  private zerosPending = 0;
  private ops = 0;
  private totalMs = 0;

  record(waitedMs: number): void {
    this.ops++;
    if (waitedMs <= 0) {
      this.zerosPending++;
      return;
    }
    this.totalMs += waitedMs;
    this.histogram.record(waitedMs);
  }

  stats(): OpWaitStats {
    if (this.zerosPending > 0) {
      this.histogram.record(0, this.zerosPending);
      this.zerosPending = 0;
    }
    const [p90Ms, p99Ms] = this.histogram.quantilesMs([0.9, 0.99]);
    return { ops: this.ops, avgMs: this.ops === 0 ? 0 : this.totalMs / this.ops, p90Ms, p99Ms };
  }
}
