import { describe, expect, it } from "vitest";
import type { PipelineSnapshot } from "../stats/snapshot.js";
import type { BottleneckVerdict, StageCondition } from "./bottleneck.js";
import { autoTune, type TuneTrial } from "./tune.js";
import { proposeMoves } from "./tuneMoves.js";
import { compilePipeline } from "../spec/index.js";
import type { Pipeline } from "../pipeline.js";
import { tunePipelineFile } from "./tuneFile.js";
import {
  clampSettings,
  describeChanges,
  fileSettings,
  threadsUsed,
  withObservedWorkerThreads,
  withSettings,
  type TuneSettings,
} from "./tuneSettings.js";
import { chainSpec } from "./testing/specs.js";

const baseDir = process.cwd();

/** A run of the file (not repeating), its items read and dropped: a run the tuner does not own. */
function runDrained(spec: ReturnType<typeof chainSpec>): { pipeline: Pipeline<unknown>; consuming: Promise<void> } {
  const { builder, buildOptions } = compilePipeline(spec, { baseDir });
  const pipeline = builder.build(buildOptions) as Pipeline<unknown>;
  const consuming = (async () => {
    for await (const _item of pipeline) {
      // drained
    }
  })();
  return { pipeline, consuming };
}
const quick = { settleMs: 150, measureMs: 400 };

function verdict(stage: string | null, conditions: Record<string, [StageCondition, number]>): BottleneckVerdict {
  return {
    stage,
    reason: "",
    stages: Object.entries(conditions).map(([name, [condition, busy]]) => ({ stage: name, condition, explanation: "", busy })),
  };
}

function snapshotWith(executors: Record<string, "loop" | "pool" | "remote">): PipelineSnapshot {
  return { stages: Object.entries(executors).map(([name, executor]) => ({ name, executor })) } as unknown as PipelineSnapshot;
}

describe("proposeMoves", () => {
  const current: TuneSettings = { numThreads: 1, concurrency: { fetch: 4, decode: 2 } };
  const snapshot = snapshotWith({ fetch: "loop", decode: "pool" });
  const bounds = { budget: 4, maxConcurrency: 8 };

  it("gives a pool-bound stage threads first, then threads and slots", () => {
    const moves = proposeMoves(current, snapshot, verdict("decode", { fetch: ["blocked", 0.4], decode: ["pool-bound", 1] }), bounds);
    expect(moves.slice(0, 3).map((move) => describeChanges(current, move))).toEqual([
      "numThreads 1 → 2",
      "decode concurrency 2 → 4, numThreads 1 → 2",
      "decode concurrency 2 → 4",
    ]);
  });

  it("gives a bottleneck stage more slots, within the bounds", () => {
    const moves = proposeMoves(current, snapshot, verdict("fetch", { fetch: ["bottleneck", 0.95], decode: ["starved", 0.3] }), bounds);
    expect(describeChanges(current, moves[0])).toBe("fetch concurrency 4 → 8");
    const atBounds: TuneSettings = { numThreads: 4, concurrency: { fetch: 8, decode: 8 } };
    expect(proposeMoves(atBounds, snapshot, verdict("fetch", { fetch: ["bottleneck", 0.95], decode: ["pool-bound", 1] }), bounds)).toEqual(
      [],
    );
  });

  it("gives a remote stage waiting for its workers more worker threads, within what the budget has left (pool threads count)", () => {
    const remote = snapshotWith({ fetch: "loop", decode: "remote" });
    const served: TuneSettings = { numThreads: 1, concurrency: { fetch: 4, decode: 2 }, workerThreads: { decode: 2 } };
    const waiting = verdict("decode", { fetch: ["blocked", 0.4], decode: ["pool-bound", 1] });
    expect(proposeMoves(served, remote, waiting, bounds).map((move) => describeChanges(served, move))).toEqual([
      "decode worker threads 2 → 3",
      "decode concurrency 2 → 4, decode worker threads 2 → 3",
      "decode concurrency 2 → 4",
    ]);
    // numThreads 1 and 3 worker threads spend the budget of 4: no more threads of either kind.
    const spent: TuneSettings = { ...served, workerThreads: { decode: 3 } };
    expect(proposeMoves(spent, remote, waiting, bounds).map((move) => describeChanges(spent, move))).toEqual(["decode concurrency 2 → 4"]);
    // No worker serves it (no worker threads to turn), and pool threads would not help it.
    expect(proposeMoves(current, remote, waiting, bounds).map((move) => describeChanges(current, move))).toEqual([
      "decode concurrency 2 → 4",
    ]);
  });

  it("without a verdict tries the busy stages, busiest first", () => {
    const moves = proposeMoves(current, snapshot, verdict(null, { fetch: ["idle", 0.7], decode: ["starved", 0.2] }), bounds);
    expect(moves.map((move) => describeChanges(current, move))).toEqual(["fetch concurrency 4 → 8"]);
  });
});

describe("tune settings", () => {
  const spec = chainSpec({ op: "range", params: { count: 5 } }, [{ id: "wait", op: "sleep", params: { ms: 1 }, concurrency: 40 }], 6);
  it("clamps the file's settings to the bounds and writes settings back", () => {
    expect(fileSettings(spec)).toEqual({ numThreads: 6, concurrency: { wait: 40 } });
    expect(clampSettings(fileSettings(spec), 2, 32)).toEqual({ numThreads: 2, concurrency: { wait: 32 } });
    const tuned = withSettings(spec, { numThreads: 3, concurrency: { wait: 5 } });
    expect(tuned.build.numThreads).toBe(3);
    expect(tuned.nodes.find((node) => node.id === "wait")!.concurrency).toBe(5);
    expect(spec.nodes.find((node) => node.id === "wait")!.concurrency).toBe(40);
    expect(describeChanges({ numThreads: 1, concurrency: { wait: 1 } }, { numThreads: 1, concurrency: { wait: 1 } })).toBe("no change");
  });

  it("starts remote stages' worker threads from what the run's workers have, counts them against the budget, never writes them", () => {
    const worker = (threads: number, fields: object = {}) => ({ threads, connected: true, refused: null, ...fields });
    const run = (workerThreads: number | null, workers: object[]) =>
      ({ stages: [{ name: "decode", executor: "remote", remote: { workerThreads, workers } }] }) as unknown as PipelineSnapshot;
    const file: TuneSettings = { numThreads: 2, concurrency: { decode: 8 } };
    expect(
      withObservedWorkerThreads(
        file,
        run(null, [worker(2), worker(4), worker(8, { refused: "other code" }), worker(16, { connected: false })]),
      ),
    ).toEqual({
      ...file,
      workerThreads: { decode: 4 },
    });
    expect(withObservedWorkerThreads(file, run(3, [worker(2)])).workerThreads).toEqual({ decode: 3 });
    expect(withObservedWorkerThreads(file, run(null, []))).toBe(file);
    expect(threadsUsed({ ...file, workerThreads: { decode: 4 } })).toBe(6);
    expect(clampSettings({ ...file, workerThreads: { decode: 4 } }, 1, 32)).toEqual({
      numThreads: 1,
      concurrency: { decode: 8 },
      workerThreads: { decode: 4 },
    });
    expect(describeChanges(file, { ...file, workerThreads: { decode: 3 } })).toBe("decode worker threads (the workers' own) → 3");
    const tuned = withSettings(
      chainSpec({ op: "range", params: { count: 5 } }, [{ id: "decode", op: "cpu", params: { ms: 1 }, concurrency: 2 }], 2),
      {
        ...file,
        workerThreads: { decode: 4 },
      },
    );
    expect(JSON.stringify(tuned)).not.toContain("workerThreads");
  });
});

describe("tunePipelineFile", () => {
  it("raises the concurrency of a slow I/O stage and reports before and after", async () => {
    const spec = chainSpec({ op: "range", params: { count: 30 } }, [{ id: "fetch", op: "sleep", params: { ms: 10 }, concurrency: 1 }]);
    const trials: TuneTrial[] = [];
    const result = await tunePipelineFile(spec, {
      baseDir,
      budgetThreads: 1,
      maxConcurrency: 8,
      window: quick,
      onTrial: (trial) => trials.push(trial),
    });
    expect(result.after.settings.concurrency.fetch).toBe(8);
    // 10 ms sleeps: ~100 items/s at 1, ~800 at 8 (the source repeats, so the run lasts).
    expect(result.speedup).toBeGreaterThan(4);
    expect(result.after.deliveredPerSecond).toBeGreaterThan(result.before.deliveredPerSecond);
    expect(trials[0]).toMatchObject({ kind: "baseline", change: "the file's settings", kept: true });
    expect(trials.filter((trial) => trial.kind === "trial" && trial.kept).map((trial) => trial.change)).toEqual([
      "fetch concurrency 1 → 2",
      "fetch concurrency 2 → 4",
      "fetch concurrency 4 → 8",
    ]);
    expect(trials.at(-1)).toMatchObject({ kind: "final", change: "fetch concurrency 1 → 8" });
    expect(result.stoppedBecause).toMatch(/no setting left|no change raised|no stage limits/);
    expect(result.tuned.nodes.find((node) => node.id === "fetch")!.concurrency).toBe(8);
  });

  it("gives a pool-bound stage the threads of the budget", async () => {
    const holdThread = { path: "engine/analysis/testing/threadHolding.mjs", export: "holdThread", args: { ms: 5 } };
    const spec = chainSpec({ op: "range", params: { count: 30 } }, [{ id: "crunch", op: "module", params: holdThread, concurrency: 2 }], 1);
    const result = await tunePipelineFile(spec, { baseDir, budgetThreads: 2, maxConcurrency: 2, window: quick });
    expect(result.before.verdict).toMatchObject({ stage: "crunch" });
    expect(result.after.settings).toEqual({ numThreads: 2, concurrency: { crunch: 2 } });
    // Calls that hold a thread without computing: two threads pass about twice as many, on a
    // machine of any load (a spinning op measured 1.13 on a loaded two-core machine).
    expect(result.speedup).toBeGreaterThan(1.5);
  });

  it("keeps to its time limit and rejects a budget of zero", async () => {
    const spec = chainSpec({ op: "range", params: { count: 30 } }, [{ id: "fetch", op: "sleep", params: { ms: 10 } }]);
    const result = await tunePipelineFile(spec, { baseDir, budgetThreads: 1, window: quick, timeLimitMs: 2000 });
    expect(result.stoppedBecause).toBe("the time limit was reached");
    expect(result.elapsedMs).toBeLessThan(3000);
    await expect(tunePipelineFile(spec, { baseDir, budgetThreads: 0 })).rejects.toThrow(
      "auto-tune: budgetThreads must be a whole number of at least 1, got 0",
    );
  });
});

describe("autoTune on a run it does not own", () => {
  it("keeps what it found when the run's source runs out mid-search", async () => {
    const spec = chainSpec({ op: "range", params: { count: 400 } }, [{ id: "fetch", op: "sleep", params: { ms: 10 }, concurrency: 1 }]);
    const { pipeline, consuming } = runDrained(spec);
    const result = await autoTune(
      pipeline,
      { numThreads: 1, concurrency: { fetch: 1 } },
      { budgetThreads: 1, maxConcurrency: 64, window: quick, startingPoint: "the run's settings" },
    );
    await consuming;
    expect(result.trials[0]).toMatchObject({ kind: "baseline", change: "the run's settings" });
    expect(result.stoppedBecause).toBe("the run ended before the search finished (a run with no end tunes longer)");
    expect(result.after.settings.concurrency.fetch).toBeGreaterThanOrEqual(2);
    expect(result.trials.some((trial) => trial.kind === "final")).toBe(false);
  });

  it("says so when the run ends before the first measurement", async () => {
    const spec = chainSpec({ op: "range", params: { count: 3 } }, [{ id: "fetch", op: "sleep", params: { ms: 1 } }]);
    const { pipeline, consuming } = runDrained(spec);
    await expect(autoTune(pipeline, { numThreads: 1, concurrency: { fetch: 1 } }, { budgetThreads: 1, window: quick })).rejects.toThrow(
      "auto-tune: the pipeline ended before its first measurement",
    );
    await consuming;
  });
});

describe("auto-tune's edges", () => {
  it("brings settings outside the bounds within them first, and counts that as a change", async () => {
    const spec = chainSpec({ op: "range", params: { count: 30 } }, [{ id: "wait", op: "sleep", params: { ms: 5 }, concurrency: 40 }], 3);
    const result = await tunePipelineFile(spec, { baseDir, budgetThreads: 1, maxConcurrency: 8, window: quick, timeLimitMs: 8000 });
    expect(result.before.settings).toEqual({ numThreads: 3, concurrency: { wait: 40 } });
    expect(result.trials[1]).toMatchObject({
      kind: "trial",
      change: "wait concurrency 40 → 8, numThreads 3 → 1 (within the bounds)",
      kept: true,
    });
    expect(result.after.settings).toEqual({ numThreads: 1, concurrency: { wait: 8 } });
    expect(describeChanges(result.before.settings, result.after.settings)).toBe("wait concurrency 40 → 8, numThreads 3 → 1");
  });

  it("puts a run's settings back when the search is cancelled", async () => {
    const spec = chainSpec({ op: "range", params: { count: 100_000 } }, [{ id: "fetch", op: "sleep", params: { ms: 5 }, concurrency: 1 }]);
    const { pipeline, consuming } = runDrained(spec);
    const controller = new AbortController();
    const trials: TuneTrial[] = [];
    const tuning = autoTune(
      pipeline,
      { numThreads: 1, concurrency: { fetch: 1 } },
      {
        budgetThreads: 1,
        window: quick,
        signal: controller.signal,
        onTrial: (trial) => {
          trials.push(trial);
          if (trial.kind === "trial") controller.abort();
        },
      },
    );
    await expect(tuning).rejects.toThrow(/abort/i);
    expect(trials.at(-1)?.kept).toBe(true);
    expect(pipeline.stats().stages.find((stage) => stage.name === "fetch")?.concurrency).toBe(1);
    await pipeline.stop();
    await consuming;
  });

  it("a count of failures allowed is per pass: a repeating source does not trip it", async () => {
    const spec = chainSpec({ op: "range", params: { count: 100 } }, [
      { id: "flaky", op: "fail", params: { fraction: 0.03 }, concurrency: 1 },
    ]);
    const withLimit = { ...spec, nodes: spec.nodes.map((node) => (node.id === "flaky" ? { ...node, maxFailures: 5 } : node)) };
    const result = await tunePipelineFile(withLimit, { baseDir, budgetThreads: 1, maxConcurrency: 2, window: quick });
    expect(result.interruptedBy).toBeNull();
  });

  it("a pipeline failing under the search is named with its stage", async () => {
    const spec = chainSpec({ op: "range", params: { count: 1000 } }, [
      { id: "broken", op: "fail", params: { fraction: 1, message: "bad record" } },
    ]);
    const failing = { ...spec, nodes: spec.nodes.map((node) => (node.id === "broken" ? { ...node, maxFailures: 0.5 } : node)) };
    await expect(tunePipelineFile(failing, { baseDir, budgetThreads: 1, window: quick })).rejects.toThrow(
      "auto-tune: the pipeline failed before its first measurement: broken: bad record",
    );
  });
});
