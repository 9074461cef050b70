import { performance } from "node:perf_hooks";

/** Above this many episodes a second, timing one in SAMPLED_STRIDE is precise enough and much cheaper. */
const FREQUENT_PER_SECOND = 10_000;
const SAMPLED_STRIDE = 16;

/**
 * Total time during which someone waited (a consumer on an empty queue, a producer on a full
 * one). Every episode is timed, except while episodes come more than 10,000 a second (a fast
 * pipeline has one per item): then one in 16 is timed and counted 16-fold, keeping the clock
 * (~65 ns a read) off the hot path. The rate is judged by the stats sampler, not per episode, so
 * a long wait is never mistaken for a short one; one that starts untimed is timed from the next
 * sample on.
 */
export class WaitEpisodes {
  private totalMs = 0;
  private since = 0;
  private weight = 1;
  private countdown = 0;
  private stride = 1;
  private open = false;
  episodes = 0;
  private episodesAtSample = 0;

  begin(): void {
    this.open = true;
    this.episodes++;
    if (--this.countdown <= 0) {
      this.countdown = this.stride;
      this.since = performance.now();
      this.weight = this.stride;
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
    const episodes = this.episodes - this.episodesAtSample;
    this.episodesAtSample = this.episodes;
    const frequent = sinceLastMs > 0 && (episodes * 1000) / sinceLastMs > FREQUENT_PER_SECOND;
    this.stride = frequent ? SAMPLED_STRIDE : 1;
    if (this.countdown > this.stride) this.countdown = this.stride;
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
