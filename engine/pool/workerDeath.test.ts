import type { ResourceLimits } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { PipelineBuilder, poolTask } from "../index.js";
import { range } from "../testing/helpers.js";
import { builtModuleUrl } from "./builtModule.js";
import { WorkerPool } from "./workerPool.js";

const OPS = builtModuleUrl("../testing/poolOps.js", import.meta.url);
const EXIT_ON_LOAD = builtModuleUrl("../testing/poolOpsExitOnLoad.js", import.meta.url);

/** `count` tiny items named "item i", with `poison` at the given positions. */
function itemsWith(count: number, poison: string, at: readonly number[]): string[] {
  return range(count).map((index) => (at.includes(index) ? poison : `item ${index}`));
}

/** Runs `items` through `exportName` at concurrency 64, so waiting calls travel to a worker in batches. */
async function runTiny<T>(
  items: T[],
  exportName: string,
  build: { numThreads: number; workerResourceLimits?: ResourceLimits },
  pipe: { maxFailures: number; params?: unknown },
) {
  const pipeline = new PipelineBuilder()
    .addSource(items)
    .pipe(poolTask<T, unknown>(OPS, exportName, pipe.params), { concurrency: 64, maxFailures: pipe.maxFailures })
    .addSink()
    .build(build);
  const delivered: unknown[] = [];
  for await (const item of pipeline) delivered.push(item);
  return { delivered, failures: pipeline.failures(), stats: pipeline.stats() };
}

describe("a worker that dies in a batch", () => {
  // Two poison items side by side: the second travels in the first one's batch, is sent again
  // alone after the first kills the worker, and kills its own worker then.
  const POISON_AT = [700, 701, 2500, 4100];

  for (const exportName of ["exitOn", "asyncExitOn"]) {
    it(`N items that call process.exit (${exportName}) among 5,000 tiny ones at concurrency 64 cost exactly N failures, each naming the exit code; every other item arrives once`, async () => {
      const items = itemsWith(5000, "exit", POISON_AT);
      const { delivered, failures, stats } = await runTiny(items, exportName, { numThreads: 2 }, { maxFailures: POISON_AT.length });
      expect(failures.map((failure) => failure.itemPreview)).toEqual(POISON_AT.map(() => "'exit'"));
      for (const failure of failures)
        expect(failure.error.message).toMatch(
          new RegExp(`^The worker running ${exportName} \\(.*poolOps\\.js\\) exited with code 3 and was replaced$`),
        );
      expect(delivered.sort()).toEqual(items.filter((item) => item !== "exit").sort());
      expect(stats.pool?.workerDeaths).toBe(POISON_AT.length);
      expect(stats.state).toBe("completed");
    }, 60_000);
  }

  it("N items that run a worker out of memory (resourceLimits) among 2,000 tiny ones cost exactly N failures", async () => {
    const poisonAt = [400, 1500];
    const items = itemsWith(2000, "hog", poisonAt);
    const limits = { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 };
    const { delivered, failures, stats } = await runTiny(
      items,
      "hogOn",
      { numThreads: 2, workerResourceLimits: limits },
      { maxFailures: poisonAt.length },
    );
    expect(failures.map((failure) => failure.itemPreview)).toEqual(["'hog'", "'hog'"]);
    for (const failure of failures)
      expect(failure.error.message).toMatch(/^The worker running hogOn \(.*\) ran out of memory \(resourceLimits\) and was replaced$/);
    expect(delivered.sort()).toEqual(items.filter((item) => item !== "hog").sort());
    expect(stats.pool?.workerDeaths).toBe(poisonAt.length);
  }, 60_000);
});

describe("the pool after a worker died in a batch", () => {
  const exitOn = { moduleUrl: OPS, exportName: "exitOn", params: undefined };

  /** One thread that batches whatever waits: submitted in one tick, the first call goes alone, the rest as one batch. */
  function batchingPool(): WorkerPool {
    return new WorkerPool({ numThreads: 1, batchBelowMs: Infinity });
  }

  it("the calls before the culprit (results lost) and after it (never ran) are sent again, each arriving once; only the culprit fails", async () => {
    const pool = batchingPool();
    try {
      const items = ["alone", "a", "b", "exit", "c", "d"];
      const outcomes = await Promise.allSettled(items.map((item) => pool.submit(exitOn, item, false)));
      expect(outcomes.map((outcome) => (outcome.status === "fulfilled" ? outcome.value : outcome.reason.message))).toEqual([
        "alone",
        "a",
        "b",
        expect.stringMatching(/^The worker running exitOn .* exited with code 3 and was replaced$/),
        "c",
        "d",
      ]);
      expect(pool.stats()).toMatchObject({ workerDeaths: 1, completedCalls: 6, runningCalls: 0, waitingTasks: 0 });
    } finally {
      await pool.destroy();
    }
  });

  it("calls batched with the one that killed the worker go again with their items whole: in a batch buffers are copied, not moved", async () => {
    const pool = batchingPool();
    const exitOnBufferOf = { moduleUrl: OPS, exportName: "exitOnBufferOf", params: { exitLength: 13 } };
    try {
      const sizes = [64, 64, 64, 13, 64, 64];
      const outcomes = await Promise.allSettled(sizes.map((size) => pool.submit(exitOnBufferOf, new ArrayBuffer(size), true)));
      expect(outcomes.map((outcome) => (outcome.status === "fulfilled" ? outcome.value : outcome.reason.message))).toEqual([
        64,
        64,
        64,
        expect.stringMatching(/^The worker running exitOnBufferOf .* exited with code 3 and was replaced$/),
        64,
        64,
      ]);
      expect(pool.stats().workerDeaths).toBe(1);
    } finally {
      await pool.destroy();
    }
  });

  it("a call sent again after its batch's worker died is not sent a third time: with a module that ends every worker loading it, each call fails once", async () => {
    const pool = batchingPool();
    try {
      const doomed = { moduleUrl: EXIT_ON_LOAD, exportName: "neverRuns", params: undefined };
      const outcomes = await Promise.allSettled(range(8).map((item) => pool.submit(doomed, item, false)));
      for (const outcome of outcomes) {
        expect(outcome.status).toBe("rejected");
        expect((outcome as PromiseRejectedResult).reason.message).toMatch(
          /^The worker running neverRuns .* exited with code 7 and was replaced$/,
        );
      }
      // The first call went alone and died; the other 7 went as one batch, died before any ran,
      // and went once more each, alone: 1 + 1 + 7 deaths.
      expect(pool.stats()).toMatchObject({ workerDeaths: 9, completedCalls: 8, waitingTasks: 0 });
    } finally {
      await pool.destroy();
    }
  });
});
