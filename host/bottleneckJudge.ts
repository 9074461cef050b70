import { findBottleneck, type BottleneckVerdict } from "../engine/analysis/index.js";
import type { PipelineSnapshot } from "../engine/stats/snapshot.js";

const PERIOD_MS = 1000;
/** The first verdict comes sooner, so even a short run gets one. */
const FIRST_PERIOD_MS = 500;

/**
 * Judges the bottleneck once a second from the 10 Hz snapshots (the first after half a second):
 * each verdict covers the period since the last, so a knob change shows in the next verdict;
 * between verdicts the last one stands.
 */
export class BottleneckJudge {
  private reference: PipelineSnapshot | undefined;
  private verdict: BottleneckVerdict | null = null;

  next(snapshot: PipelineSnapshot): BottleneckVerdict | null {
    if (!this.reference) {
      this.reference = snapshot;
      return null;
    }
    if (snapshot.elapsedMs - this.reference.elapsedMs >= (this.verdict ? PERIOD_MS : FIRST_PERIOD_MS)) {
      this.verdict = findBottleneck(snapshot, this.reference);
      this.reference = snapshot;
    }
    return this.verdict;
  }
}
