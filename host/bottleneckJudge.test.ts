import { describe, expect, it, vi } from "vitest";
import type { BottleneckVerdict } from "../engine/analysis/index.js";
import type { PipelineSnapshot } from "../engine/stats/snapshot.js";

/** The finder's judgements, scripted: one per call. */
const judgements: (string | null)[] = [];
vi.mock("../engine/analysis/index.js", () => ({
  findBottleneck: (): BottleneckVerdict => {
    const stage = judgements.shift() ?? null;
    return { stage, reason: stage ? `${stage} is slow` : "", stages: [] };
  },
}));
const { BottleneckJudge } = await import("./bottleneckJudge.js");

const at = (elapsedMs: number) => ({ elapsedMs }) as PipelineSnapshot;

describe("the live verdict", () => {
  it("moves to another stage only when two judgements in a row say so", () => {
    judgements.push("a", "b", "a", "b", "b", null, "b");
    const judge = new BottleneckJudge();
    const seen: (string | null | undefined)[] = [];
    for (let ms = 0; ms <= 6500; ms += 100) {
      const verdict = judge.next(at(ms));
      if (ms % 1000 === 500) seen.push(verdict?.stage);
    }
    // Judged at 0.5 s (a), then each second: b (one-off: stays a), a, b, b (moves), none (one-off), b.
    expect(seen).toEqual(["a", "a", "a", "a", "b", "b", "b"]);
  });
});
