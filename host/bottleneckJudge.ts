import { findBottleneck, type BottleneckVerdict } from "../engine/analysis/index.js";
import type { PipelineSnapshot } from "../engine/stats/snapshot.js";

const PERIOD_MS = 1000;
/** The first verdict comes sooner, so even a short run gets one. */
const FIRST_PERIOD_MS = 500;
/** Judgements in a row naming the same other stage before the verdict moves to it. */
const TO_MOVE = 2;

/**
 * Judges the bottleneck once a second from the 10 Hz snapshots (the first after half a second):
 * each judgement covers the period since the last, so a knob change shows within two. With
 * hysteresis: the verdict moves to another stage (or to none) only when two judgements in a row
 * say so, so it does not flip between stages from one second to the next on noise; for the stage
 * it names, each judgement's reason and numbers are shown. Between judgements the verdict stands.
 */
export class BottleneckJudge {
  private reference: PipelineSnapshot | undefined;
  private verdict: BottleneckVerdict | null = null;
  private challenger: { stage: string | null; count: number } | null = null;

  next(snapshot: PipelineSnapshot): BottleneckVerdict | null {
    if (!this.reference) {
      this.reference = snapshot;
      return null;
    }
    if (snapshot.elapsedMs - this.reference.elapsedMs >= (this.verdict ? PERIOD_MS : FIRST_PERIOD_MS)) {
      this.consider(findBottleneck(snapshot, this.reference));
      this.reference = snapshot;
    }
    return this.verdict;
  }

  private consider(judged: BottleneckVerdict): void {
    if (!this.verdict || judged.stage === this.verdict.stage) {
      this.verdict = judged;
      this.challenger = null;
      return;
    }
    const count = this.challenger?.stage === judged.stage ? this.challenger.count + 1 : 1;
    if (count >= TO_MOVE) {
      this.verdict = judged;
      this.challenger = null;
    } else this.challenger = { stage: judged.stage, count };
  }
}
