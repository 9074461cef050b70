import { performance } from "node:perf_hooks";

const SHORT_MS = 0.05;
const SHORT_STRIDE = 16;

/**
 * Total time during which someone waited (a consumer on an empty queue, a producer on a full
 * one). Episodes are timed every time when they are long; when they are µs-short (a fast
 * pipeline has one per item) only one in 16 is timed and counted 16-fold, keeping the clock
 * (~65 ns a read) off the hot path.
 */
export class WaitEpisodes {
  private totalMs = 0;
  private since = 0;
  private weight = 1;
  private countdown = 0;
  private stride = 1;
  private open = false;
  episodes = 0;

  begin(): void {
    this.open = true;
    this.episodes++;
    if (--this.countdown <= 0) {
      this.since = performance.now();
      this.weight = this.stride;
    } else this.since = 0;
  }

  end(): void {
    if (!this.open) return;
    this.open = false;
    if (this.since === 0) return;
    const waited = performance.now() - this.since;
    this.totalMs += waited * this.weight;
    this.stride = waited < SHORT_MS ? SHORT_STRIDE : 1;
    this.countdown = this.stride;
    this.since = 0;
  }

  /** Total ms so far, counting an episode still open. */
  elapsedMs(now: number): number {
    return this.totalMs + (this.open && this.since !== 0 ? (now - this.since) * this.weight : 0);
  }
}
