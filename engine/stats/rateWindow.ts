/** Items/s over a sliding window, from cumulative counts sampled at intervals. */
export class RateWindow {
  private readonly times: number[] = [];
  private readonly counts: number[] = [];

  constructor(readonly windowMs = 3000) {}

  sample(nowMs: number, count: number): void {
    this.times.push(nowMs);
    this.counts.push(count);
    while (this.times.length > 2 && nowMs - this.times[1] >= this.windowMs) {
      this.times.shift();
      this.counts.shift();
    }
  }

  /** Rate from the oldest sample in the window to (now, count). */
  rate(nowMs: number, count: number): number {
    if (this.times.length === 0) return 0;
    const elapsed = nowMs - this.times[0];
    return elapsed <= 0 ? 0 : ((count - this.counts[0]) * 1000) / elapsed;
  }
}
