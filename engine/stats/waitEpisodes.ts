import { performance } from "node:perf_hooks";
import { TimingStride } from "./timingStride.js";

/**
 * Total time during which someone waited (a consumer on an empty queue, a producer on a full
 * one). Every episode is timed, except while episodes come more than 10,000 a second (a fast
 * pipeline has one per item): then one in 16 is timed and counted 16-fold (TimingStride). A long
 * wait is never mistaken for a short one: one that starts untimed is timed from the next sample on.
 */
export class WaitEpisodes {
  private totalMs = 0;
  private since = 0;
  private weight = 1;
  private readonly timing = new TimingStride();
  private open = false;

  begin(): void {
    this.open = true;
    if (this.timing.next()) {
      this.since = performance.now();
      this.weight = this.timing.weight;
    } else this.since = 0;
  }

  end(): void {
    if (!this.open) return;
    this.open = false;
    if (this.since !== 0) this.totalMs += (performance.now() - this.since) * this.weight;
    this.since = 0;
  }

  /** Called by the stats sampler: picks the timing stride from the episode rate since the last call. */
  adapt(now: number, sinceLastMs: number): void {
    this.timing.adapt(sinceLastMs);
    if (this.open && this.since === 0) {
      // An untimed episode that is still open is long after all: time it from now on.
      this.since = now;
      this.weight = 1;
    }
  }

  /** Total ms so far, counting an episode still open. */
  elapsedMs(now: number): number {
    return this.totalMs + (this.open && this.since !== 0 ? (now - this.since) * this.weight : 0);
  }
}
