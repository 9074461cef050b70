import { describe, expect, it } from "vitest";
import type { PipelineSnapshot } from "../stats/snapshot.js";
import type { BottleneckVerdict } from "./bottleneck.js";
import { pooled, type Measurement } from "./measure.js";
import { goalOutcome, parseShare, resolveGoal, type TuneGoal } from "./tuneGoal.js";
import { cheaperMoves } from "./tuneMoves.js";
import { searchSettings, type SearchOptions, type TuneProbe } from "./tuneSearch.js";
import type { TuneSettings } from "./tuneSettings.js";

/**
 * The search on hand-made figures: a model pipeline, fetch (event loop, 50 items/s per slot) →
 * decode (pool, 200 items/s per thread it may use), read by a consumer wanting `demand` items/s
 * (none: read as fast as it comes). Each "measurement" is the model's figures for the settings
 * in place, so every trial and every outcome is exact.
 */
interface Model {
  /** Items/s the consumer takes; null: no consumer (throughput). */
  demand: number | null;
  /** CPU share per item/s delivered. */
  cpuPerItem?: number;
}

const executors = {
  stages: [
    { name: "fetch", executor: "loop" },
    { name: "decode", executor: "pool" },
  ],
} as unknown as PipelineSnapshot;

function modelProbe(model: Model): TuneProbe {
  let current: TuneSettings | null = null;
  const verdicts = new WeakMap<Measurement, BottleneckVerdict>();
  return {
    apply(settings) {
      current = settings;
    },
    async measure() {
      const settings = current!;
      const fetch = settings.concurrency.fetch * 50;
      const decode = Math.min(settings.concurrency.decode, settings.numThreads) * 200;
      const supply = Math.min(fetch, decode);
      const delivered = model.demand === null ? supply : Math.min(supply, model.demand);
      const measurement: Measurement = {
        deliveredPerSecond: delivered,
        readiness: model.demand === null ? null : Math.min(0.999, supply / model.demand),
        cpu: delivered * (model.cpuPerItem ?? 0.001),
        start: executors,
        end: executors,
      };
      const fed = model.demand !== null && supply >= model.demand;
      const limiting = fed ? null : fetch <= decode ? "fetch" : "decode";
      const poolBound = limiting === "decode" && settings.numThreads < settings.concurrency.decode;
      verdicts.set(measurement, {
        stage: limiting,
        reason: "",
        stages: [
          {
            stage: "fetch",
            condition: limiting === "fetch" ? "bottleneck" : "blocked",
            explanation: "",
            busy: limiting === "fetch" ? 1 : 0.4,
          },
          {
            stage: "decode",
            condition: limiting === "decode" ? (poolBound ? "pool-bound" : "bottleneck") : "starved",
            explanation: "",
            busy: limiting === "decode" ? 1 : 0.2,
          },
        ],
      });
      return measurement;
    },
    verdict: (measurement) => verdicts.get(measurement)!,
    requireRunning() {},
  };
}

function options(goal: TuneGoal, budget: number, maxConcurrency = 8): SearchOptions {
  return {
    goal,
    budget,
    maxConcurrency,
    timeLimitMs: 600_000,
    window: { settleMs: 0, measureMs: 0 },
    minGain: 0.05,
    startingPoint: "the file's settings",
  };
}

const readiness = (target = 0.99, cpuBudget: number | null = null): TuneGoal => ({
  objective: "readiness",
  readinessTarget: target,
  cpuBudget,
});
const kept = (result: Awaited<ReturnType<typeof searchSettings>>) =>
  result.trials.filter((trial) => trial.kind === "trial" && trial.kept).map((trial) => trial.change);

describe("auto-tune for readiness", () => {
  it("climbs until the consumer is fed, then trims to the fewest threads that keep it fed", async () => {
    const start = { numThreads: 4, concurrency: { fetch: 1, decode: 1 } };
    const result = await searchSettings(modelProbe({ demand: 80 }), start, options(readiness(), 4));
    expect(result.before).toMatchObject({ readiness: 0.625, deliveredPerSecond: 50 });
    expect(kept(result)).toEqual(["fetch concurrency 1 → 2", "numThreads 4 → 2", "numThreads 2 → 1"]);
    expect(result.after.settings).toEqual({ numThreads: 1, concurrency: { fetch: 2, decode: 1 } });
    expect(result.goal).toMatchObject({ objective: "readiness", readinessTarget: 0.99, met: true, threads: 1, readiness: 0.999 });
    expect(result.goal.summary).toBe("Goal met: readiness 99.9 % (target 99.0 %) with 1 pool thread, CPU 8.0 % of the machine");
    expect(result.stoppedBecause).toBe("readiness reached its target, and no setting with fewer threads or slots kept it there");
    // A cheaper setting that starves the consumer was tried and not kept.
    expect(result.trials).toContainEqual(expect.objectContaining({ change: "fetch concurrency 2 → 1", kept: false, readiness: 0.625 }));
  });

  it("gives a pool stage the threads it needs, and no more", async () => {
    const start = { numThreads: 1, concurrency: { fetch: 8, decode: 1 } };
    const result = await searchSettings(modelProbe({ demand: 300 }), start, options(readiness(), 4));
    expect(result.after.settings).toEqual({ numThreads: 2, concurrency: { fetch: 8, decode: 2 } });
    expect(result.goal).toMatchObject({ met: true, threads: 2 });
    // One thread (measured while climbing), fewer decode or fetch slots starve the consumer again: not kept.
    expect(result.trials).toContainEqual(
      expect.objectContaining({ settings: { numThreads: 1, concurrency: { fetch: 8, decode: 2 } }, kept: false }),
    );
    expect(result.trials).toContainEqual(expect.objectContaining({ change: "decode concurrency 2 → 1", kept: false }));
    expect(result.trials).toContainEqual(expect.objectContaining({ change: "fetch concurrency 8 → 4", kept: false }));
  });

  it("says the goal was not met, and what holds it back, when the budget cannot feed the consumer", async () => {
    const start = { numThreads: 1, concurrency: { fetch: 1, decode: 1 } };
    const result = await searchSettings(modelProbe({ demand: 1000 }), start, options(readiness(), 2, 4));
    expect(result.goal.met).toBe(false);
    expect(result.goal.threads).toBeLessThanOrEqual(2);
    expect(result.goal.summary).toMatch(/^Goal not met: readiness \d+\.\d % \(target 99\.0 %\) with [12] pool threads?, CPU/);
    expect(result.after.readiness).toBeLessThan(0.99);
    expect(result.stoppedBecause).toMatch(/no setting left to try within the thread budget|no change raised readiness/);
  });

  it("refuses every setting over the CPU budget, and says the goal was not met", async () => {
    const start = { numThreads: 1, concurrency: { fetch: 8, decode: 1 } };
    // 300 items/s would feed the consumer but costs 60 % of the machine; the budget is 50 %.
    const result = await searchSettings(modelProbe({ demand: 300, cpuPerItem: 0.002 }), start, options(readiness(0.99, 0.5), 4));
    for (const trial of result.trials.filter((candidate) => candidate.kept && candidate.kind === "trial"))
      expect(trial.cpu).toBeLessThanOrEqual(0.5);
    expect(result.trials.some((trial) => trial.kind === "trial" && trial.cpu > 0.5 && !trial.kept)).toBe(true);
    expect(result.goal).toMatchObject({ met: false, cpuBudget: 0.5 });
    expect(result.goal.summary).toContain("(budget 50.0 %)");
    expect(result.stoppedBecause).toMatch(/within the CPU budget|no setting left/);
  });

  it("settings that already feed the consumer are only trimmed", async () => {
    const start = { numThreads: 2, concurrency: { fetch: 4, decode: 2 } };
    const result = await searchSettings(modelProbe({ demand: 80 }), start, options(readiness(), 4));
    expect(result.trials.filter((trial) => trial.kind === "trial").every((trial) => trial.change.match(/→ (1|2)\b/))).toBe(true);
    expect(result.after.settings).toEqual({ numThreads: 1, concurrency: { fetch: 2, decode: 1 } });
  });
});

describe("auto-tune for throughput with a CPU budget", () => {
  it("keeps raising items/s while the CPU stays within the budget", async () => {
    const start = { numThreads: 1, concurrency: { fetch: 1, decode: 1 } };
    const goal: TuneGoal = { objective: "throughput", readinessTarget: null, cpuBudget: 0.25 };
    // 200 items/s would cost 30 % of the machine: fetch stays at 2 slots (100 items/s, 15 %).
    const result = await searchSettings(modelProbe({ demand: null, cpuPerItem: 0.0015 }), start, options(goal, 4));
    expect(kept(result)).toEqual(["fetch concurrency 1 → 2"]);
    expect(result.trials).toContainEqual(expect.objectContaining({ change: "fetch concurrency 2 → 4", cpu: 0.3, kept: false }));
    expect(result.after).toMatchObject({ deliveredPerSecond: 100, cpu: 0.15 });
    expect(result.goal).toMatchObject({ met: true, readiness: null });
    expect(result.goal.summary).toBe("Goal met (CPU within its budget): 1 pool thread, CPU 15.0 % of the machine (budget 25.0 %)");
    expect(result.stoppedBecause).toBe("no change raised throughput by more than 5% within the CPU budget");
  });

  it("without a budget there is nothing to meet: the result states its cost", async () => {
    const start = { numThreads: 1, concurrency: { fetch: 1, decode: 1 } };
    const goal: TuneGoal = { objective: "throughput", readinessTarget: null, cpuBudget: null };
    const result = await searchSettings(modelProbe({ demand: null }), start, options(goal, 2, 8));
    expect(result.goal.met).toBeNull();
    expect(result.after.deliveredPerSecond).toBe(200);
    expect(result.goal.summary).toBe("Cost: 1 pool thread, CPU 20.0 % of the machine");
  });
});

describe("the goal's options", () => {
  it("defaults to readiness 0.99 with a consumer and to throughput without", () => {
    expect(resolveGoal({}, true)).toEqual({ objective: "readiness", readinessTarget: 0.99, cpuBudget: null });
    expect(resolveGoal({}, false)).toEqual({ objective: "throughput", readinessTarget: null, cpuBudget: null });
    expect(resolveGoal({ objective: "throughput", cpuBudget: 0.4 }, true)).toEqual({
      objective: "throughput",
      readinessTarget: null,
      cpuBudget: 0.4,
    });
    expect(resolveGoal({ readiness: 0.95 }, true)).toMatchObject({ objective: "readiness", readinessTarget: 0.95 });
  });

  it("refuses values out of range, naming the field and what is allowed", () => {
    expect(() => resolveGoal({ readiness: 1.5 }, true)).toThrow(
      "auto-tune: readiness must be above 0 and at most 1 (0.99 is 99 %), got 1.5",
    );
    expect(() => resolveGoal({ readiness: 0 }, true)).toThrow("auto-tune: readiness must be above 0 and at most 1");
    expect(() => resolveGoal({ cpuBudget: 40 }, true)).toThrow(
      "auto-tune: cpuBudget must be above 0 and at most 1 (a share of the machine: 0.4 is 40 %), got 40",
    );
    expect(() => resolveGoal({ objective: "speed" as never }, true)).toThrow(
      'auto-tune: objective must be "throughput" or "readiness", got "speed"',
    );
    expect(() => resolveGoal({ objective: "readiness" }, false)).toThrow("auto-tune: the readiness objective needs a consumer at the sink");
    expect(() => resolveGoal({ readiness: 0.9 }, false)).toThrow("needs a consumer at the sink");
    expect(() => resolveGoal({ objective: "throughput", readiness: 0.9 }, true)).toThrow(
      "auto-tune: a readiness target goes with the readiness objective, not throughput",
    );
  });

  it("takes a share as 0.4 or 40%", () => {
    expect(parseShare("0.4")).toBe(0.4);
    expect(parseShare("40%")).toBe(0.4);
    expect(parseShare(" 99.5 % ")).toBeCloseTo(0.995, 10);
    expect(parseShare("1")).toBe(1);
    for (const bad of ["0", "40", "1.01", "-0.2", "", "abc", "0.4.1", "150%"])
      expect(() => parseShare(bad), bad).toThrow("must be a share above 0 and at most 1, as 0.4 or 40%");
  });

  it("says met or not with the cost in one sentence", () => {
    const goal = readiness(0.99, 0.4);
    expect(goalOutcome(goal, 2, { readiness: 0.995, cpu: 0.45 }).summary).toBe(
      "Goal not met: readiness 99.5 % (target 99.0 %), but the CPU is over its budget: 2 pool threads, CPU 45.0 % of the machine (budget 40.0 %)",
    );
    expect(goalOutcome(goal, 2, { readiness: 0.995, cpu: 0.3 })).toMatchObject({ met: true, threads: 2, cpu: 0.3 });
  });
});

describe("cheaper moves", () => {
  it("halve the threads from 4, then one fewer, then halve each stage's slots, the least busy first", () => {
    const verdict: BottleneckVerdict = {
      stage: null,
      reason: "",
      stages: [
        { stage: "fetch", condition: "idle", explanation: "", busy: 0.9 },
        { stage: "decode", condition: "idle", explanation: "", busy: 0.1 },
      ],
    };
    const moves = cheaperMoves({ numThreads: 6, concurrency: { fetch: 8, decode: 3 } }, verdict);
    expect(moves).toEqual([
      { numThreads: 3, concurrency: { fetch: 8, decode: 3 } },
      { numThreads: 5, concurrency: { fetch: 8, decode: 3 } },
      { numThreads: 6, concurrency: { fetch: 8, decode: 1 } },
      { numThreads: 6, concurrency: { fetch: 4, decode: 3 } },
    ]);
    expect(cheaperMoves({ numThreads: 1, concurrency: { fetch: 1 } }, verdict)).toEqual([]);
  });
});

describe("pooled measurements", () => {
  it("weigh two measurements of the same settings by the length of their windows", () => {
    const at = (elapsedMs: number) => ({ elapsedMs }) as PipelineSnapshot;
    const earlier: Measurement = { deliveredPerSecond: 100, readiness: 0.9, cpu: 0.2, start: at(0), end: at(1000) };
    const later: Measurement = { deliveredPerSecond: 200, readiness: 1, cpu: 0.5, start: at(5000), end: at(8000) };
    expect(pooled(earlier, later)).toEqual({ deliveredPerSecond: 175, readiness: 0.975, cpu: 0.425, start: later.start, end: later.end });
    expect(pooled({ ...earlier, readiness: null }, { ...later, readiness: null }).readiness).toBeNull();
  });
});
