import { performance } from "node:perf_hooks";
import { LatencyHistogram } from "./histogram.js";
import { TimingStride } from "./timingStride.js";

/** SPDL's per-operation wait of one side of a queue (`_StatsCounter` of StatsQueue's put or get). */
export interface OpWaitStats {
  /** Operations completed (items put, or items taken). */
  ops: number;
  /** Mean wait per operation, in ms: those that did not wait count as 0, as in SPDL. */
  avgMs: number;
  p90Ms: number;
  p99Ms: number;
}

/** Stands for "not waiting" in a wait's start time. */
export const NOT_WAITING = 0;
/** Stands for a wait that began without a clock read (one in 16 is timed while waits are frequent). */
export const UNTIMED_WAIT = -1;

/**
 * How long each put (or get) of a queue waited, every operation counted — those that found room
 * (or an item) at once as 0 ms — so the average and percentiles are per operation, as SPDL's
 * StatsQueue reports them.
 *
 * The clock stays off the hot path. An operation that did not wait costs nothing here: the
 * queue counts its operations anyway, and the zeros are what its count has beyond the waits
 * recorded. A wait reads the clock at its start only when beginWait() says so (every wait, or one
 * in 16 while they come more than 10,000 a second); an untimed wait is folded into the next timed
 * one, which then counts for both, so the mean and the percentiles stay estimates of all waits.
 */
export class OpWaits {
  private readonly histogram = new LatencyHistogram();
  private readonly timing = new TimingStride();
  /** Operations that waited, timed or not. */
  private waits = 0;
  private untimedPending = 0;
  private zerosRecorded = 0;
  private totalMs = 0;

  /** A put (or get) starts to wait: its start time, or UNTIMED_WAIT when this one is not timed. */
  beginWait(): number {
    return this.timing.next() ? performance.now() : UNTIMED_WAIT;
  }

  /** One operation waited: UNTIMED_WAIT, or how long (ms). Operations that did not wait are not recorded. */
  record(waitedMs: number): void {
    this.waits++;
    if (waitedMs === UNTIMED_WAIT) {
      this.untimedPending++;
      return;
    }
    const weight = 1 + this.untimedPending;
    this.untimedPending = 0;
    this.totalMs += waitedMs * weight;
    this.histogram.record(Math.max(waitedMs, 0), weight);
  }

  /** Called by the stats sampler: how often to read the clock, from how often waits begin. */
  adapt(sinceLastMs: number): void {
    this.timing.adapt(sinceLastMs);
  }

  /** `ops`: every operation of this side of the queue (items put, or taken), waited or not. */
  stats(ops: number): OpWaitStats {
    const zeros = ops - this.waits - this.zerosRecorded;
    if (zeros > 0) {
      this.histogram.record(0, zeros);
      this.zerosRecorded += zeros;
    }
    const [p90Ms, p99Ms] = this.histogram.quantilesMs([0.9, 0.99]);
    return { ops, avgMs: ops === 0 ? 0 : this.totalMs / ops, p90Ms, p99Ms };
  }
}

/** What a wait that began at `since` (NOT_WAITING, UNTIMED_WAIT or a clock reading) amounts to, for record(). */
export function waitedSince(since: number): number {
  return since === NOT_WAITING || since === UNTIMED_WAIT ? since : performance.now() - since;
}
