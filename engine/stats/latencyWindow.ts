import { LatencyHistogram } from "./histogram.js";

/** Latency since start, and over a recent window (two rotating halves), for live views after a knob change. */
export class LatencyWindow {
  readonly total = new LatencyHistogram();
  private current = new LatencyHistogram();
  private previous = new LatencyHistogram();

  record(ms: number, weight: number): void {
    this.total.record(ms, weight);
    this.current.record(ms, weight);
  }

  /** Called every half window; the recent view spans one to two halves. */
  rotate(): void {
    const emptied = this.previous;
    emptied.reset();
    this.previous = this.current;
    this.current = emptied;
  }

  /** The last one to two half windows, merged into a reused histogram (valid until the next call). */
  recent(): LatencyHistogram {
    const merged = this.merged;
    merged.reset();
    merged.add(this.previous);
    merged.add(this.current);
    return merged;
  }

  private readonly merged = new LatencyHistogram();
}
