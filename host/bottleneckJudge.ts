import { findBottleneck, type BottleneckVerdict } from "../engine/analysis/index.js";
import type { PipelineSnapshot } from "../engine/stats/snapshot.js";

const PERIOD_MS = 1000;

/**
 * Judges the bottleneck once a second from the 10 Hz snapshots: each verdict covers the last
 * second, so a knob change shows in the next verdict; between verdicts the last one stands.
 */
export class BottleneckJudge {
  private reference: PipelineSnapshot | undefined;
  private verdict: BottleneckVerdict | null = null;

  next(snapshot: PipelineSnapshot): BottleneckVerdict | null {
    if (!this.reference) {
      this.reference = snapshot;
      return null;
    }
    if (snapshot.elapsedMs - this.reference.elapsedMs >= PERIOD_MS) {
      this.verdict = findBottleneck(snapshot, this.reference);
      this.reference = snapshot;
    }
    return this.verdict;
  }
}
