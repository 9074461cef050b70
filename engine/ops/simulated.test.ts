import { describe, expect, it } from "vitest";
import { cpu, fail, failurePlan, SimulatedFailure, sleep } from "./simulated.js";
import { createStageOp, paramProblems, runStage } from "./testing/harness.js";
import type { OpContext } from "../index.js";

function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}

describe("sleep", () => {
  it("defaults to 10 ms with no jitter and rejects a negative wait in plain words", () => {
    expect(sleep.params.parse({})).toEqual({ ms: 10, jitterMs: 0, distribution: "uniform", seed: 1 });
    expect(paramProblems(sleep, { ms: -1 })).toEqual([{ path: "params.ms", message: "must be a number ≥ 0, got -1" }]);
    expect(paramProblems(sleep, { seed: 1.5 })).toEqual([{ path: "params.seed", message: "must be an integer ≥ 0, got 1.5" }]);
    expect(paramProblems(sleep, { distribution: "normal" })[0].message).toBe('must be one of "uniform", "exponential", got "normal"');
  });

  it("holds each item about ms on the event loop and passes it on unchanged", async () => {
    const { outputs, pipeline } = await runStage(sleep, { ms: 30 }, range(5), { pipe: { concurrency: 5 } });
    expect((outputs as number[]).sort((a, b) => a - b)).toEqual(range(5));
    const stage = pipeline.stats().stages[1];
    expect(stage.executor).toBe("loop");
    expect(stage.blocksEventLoop).toBe(false);
    expect(stage.latencyMs.p50Ms).toBeGreaterThanOrEqual(25);
    expect(stage.latencyMs.p50Ms).toBeLessThan(1_000);
  });

  it("with jitter, waits a seeded amount within ms ± jitterMs", async () => {
    const { pipeline } = await runStage(sleep, { ms: 40, jitterMs: 20, seed: 7 }, range(8), { pipe: { concurrency: 8 } });
    const latency = pipeline.stats().stages[1].latencyMs;
    expect(latency.p50Ms).toBeGreaterThanOrEqual(15);
    expect(latency.p99Ms).toBeLessThan(1_000);
  });

  it("stops waiting when the pipeline stops", async () => {
    const op = createStageOp(sleep, { ms: 60_000 }) as (item: unknown, context: OpContext) => Promise<unknown>;
    const controller = new AbortController();
    const call = op(1, { signal: controller.signal, stage: "sleep" });
    controller.abort();
    await expect(call).rejects.toThrow(/abort/i);
  });
});

describe("cpu", () => {
  it("defaults to 5 ms and rejects a negative duration in plain words", () => {
    expect(cpu.params.parse({})).toEqual({ ms: 5 });
    expect(paramProblems(cpu, { ms: "fast" })).toEqual([{ path: "params.ms", message: 'must be a number ≥ 0, got "fast"' }]);
  });

  it("runs on the worker pool, busy for about ms per item, and passes items on", async () => {
    const { outputs, pipeline } = await runStage(cpu, { ms: 20 }, range(6), { pipe: { concurrency: 2 }, numThreads: 2 });
    expect((outputs as number[]).sort((a, b) => a - b)).toEqual(range(6));
    const stage = pipeline.stats().stages[1];
    expect(stage.executor).toBe("pool");
    expect(stage.blocksEventLoop).toBe(false);
    expect(stage.latencyMs.p50Ms).toBeGreaterThanOrEqual(18);
    expect(pipeline.stats().pool?.completedCalls).toBe(6);
  });
});

describe("fail", () => {
  it("defaults to 10% and rejects a fraction outside 0..1 in plain words", () => {
    expect(fail.params.parse({})).toEqual({ fraction: 0.1, seed: 1, message: "simulated failure" });
    expect(paramProblems(fail, { fraction: 1.5 })).toEqual([{ path: "params.fraction", message: "must be a number from 0 to 1, got 1.5" }]);
    expect(paramProblems(fail, { message: "" })).toEqual([{ path: "params.message", message: 'must not be empty, got ""' }]);
  });

  it("fails exactly the fraction's share of every 100 calls, carrying remainders across blocks", () => {
    const count = (plan: () => boolean, calls: number) => range(calls).filter(() => plan()).length;
    expect(count(failurePlan(0.29, 3), 100)).toBe(29);
    expect(count(failurePlan(0.25, 3), 400)).toBe(100);
    expect(count(failurePlan(0.005, 3), 200)).toBe(1);
    expect(count(failurePlan(0, 3), 100)).toBe(0);
    expect(count(failurePlan(1, 3), 100)).toBe(100);
  });

  it("picks the same calls for the same seed and different ones for another seed", () => {
    const failing = (seed: number) => {
      const plan = failurePlan(0.2, seed);
      return range(100).filter(() => plan());
    };
    expect(failing(42)).toEqual(failing(42));
    expect(failing(42)).not.toEqual(failing(43));
  });

  it("through the engine: drops exactly the failing items with a clear error, the same ones on a rerun", async () => {
    const run = () => runStage(fail, { fraction: 0.2, seed: 5, message: "disk on fire" }, range(100));
    const first = await run();
    const second = await run();
    expect(first.outputs).toHaveLength(80);
    expect(first.outputs).toEqual(second.outputs);
    const failures = first.pipeline.failures();
    expect(failures).toHaveLength(20);
    expect(failures[0].stage).toBe("fail");
    expect(failures[0].error).toBeInstanceOf(SimulatedFailure);
    expect(failures[0].error.message).toBe("disk on fire");
    expect(first.pipeline.stats().stages[1].failures).toBe(20);
    const failedItems = failures.map((failure) => Number(failure.itemPreview));
    expect([...failedItems, ...(first.outputs as number[])].sort((a, b) => a - b)).toEqual(range(100));
  });
});
