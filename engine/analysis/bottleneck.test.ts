import { describe, expect, it } from "vitest";
import { PipelineBuilder, poolTask, type Pipeline, type PipelineSnapshot } from "../index.js";
import { builtModuleUrl } from "../pool/builtModule.js";
import { compilePipeline, loadPipelineFile } from "../spec/index.js";
import { sleep } from "../testing/helpers.js";
import { queueSnapshot, stageSnapshot } from "../testing/snapshots.js";
import { findBottleneck, formatVerdict } from "./bottleneck.js";

const OPS = builtModuleUrl("../testing/poolOps.js", import.meta.url);

function* naturals() {
  for (let i = 0; ; i++) yield i;
}

const pause = (ms: number) =>
  async function (x: number) {
    await sleep(ms);
    return x;
  };

/** Runs for a while, consuming items; returns a snapshot mid-run and one at the end. */
async function observe(pipeline: Pipeline<unknown>, ms: number): Promise<{ middle: PipelineSnapshot; end: PipelineSnapshot }> {
  pipeline.start();
  const consuming = (async () => {
    try {
      for (;;) await pipeline.getItem();
    } catch {
      // stopped
    }
  })();
  await sleep(ms / 2);
  const middle = pipeline.stats();
  await sleep(ms / 2);
  const end = pipeline.stats();
  await pipeline.stop();
  await consuming;
  return { middle, end };
}

/**
 * A whole run of two stages of equal speed (the seed example on a loaded machine): both keep
 * their slots nearly full and the queue between them never stays full for long.
 */
function evenlyMatchedRun(preprocess: { busy: number; outputBlocked: number }): PipelineSnapshot {
  const elapsedMs = 1200;
  const stage = (name: string, concurrency: number, busy: number) =>
    stageSnapshot({ name, kind: "pipe", concurrency, itemsIn: 200, itemsOut: 200, busyFractionSinceStart: busy });
  const queue = (from: string, to: string, blocked: number, starved: number) =>
    queueSnapshot({ from: [from], to, blockedMs: blocked * elapsedMs, starvedMs: starved * elapsedMs });
  return {
    state: "completed",
    paused: false,
    draining: false,
    readiness: null,
    cpu: 0.3,
    elapsedMs,
    itemsDelivered: 200,
    deliveredPerSecond: 166,
    failures: 0,
    stages: [stage("download", 4, 0.85), { ...stage("preprocess", 2, preprocess.busy), executor: "pool" }],
    queues: [
      queue("urls", "download", 0.6, 0.02),
      queue("download", "preprocess", 0.2, 0.05),
      queue("preprocess", "sink", preprocess.outputBlocked, 0.5),
    ],
    pool: { numThreads: 3, maxThreads: 8, busyThreads: 0, waitingTasks: 0, runningCalls: 0, completedCalls: 200, workerDeaths: 0 },
    process: { eventLoopUtilization: 0.3, eventLoopLagMs: { mean: 1, p99: 2, max: 3 }, heapUsedBytes: 1, rssBytes: 1 },
  };
}

describe("findBottleneck", () => {
  it("names a stage whose slots stay full even when the queue into it seldom fills", () => {
    const verdict = findBottleneck(evenlyMatchedRun({ busy: 1, outputBlocked: 0 }));
    expect(verdict.stage).toBe("preprocess");
    expect(verdict.reason).toBe("2 of 2 slots busy, waiting for input only 5% of the time: at capacity — raise concurrency or numThreads");
    // download matches its pace, also near capacity; the fuller stage is named.
    expect(verdict.stages.find((stage) => stage.stage === "download")?.condition).toBe("bottleneck");
  });

  it("does not call a stage at capacity when its full slots wait for room downstream", () => {
    const verdict = findBottleneck(evenlyMatchedRun({ busy: 1, outputBlocked: 0.4 }));
    expect(verdict.stages.find((stage) => stage.stage === "preprocess")?.condition).toBe("idle");
    expect(verdict.stage).toBe("download");
  });

  it("names a slow stage with low concurrency", async () => {
    const pipeline = new PipelineBuilder()
      .addSource(naturals())
      .pipe(pause(1), { name: "fetch", concurrency: 4 })
      .pipe(pause(15), { name: "decode", concurrency: 1 })
      .pipe(pause(1), { name: "store", concurrency: 4 })
      .addSink()
      .build();
    const { middle, end } = await observe(pipeline, 1200);
    for (const verdict of [findBottleneck(end), findBottleneck(end, middle)]) {
      expect(verdict.stage).toBe("decode");
      expect(verdict.reason).toMatch(
        /^1 of 1 slots busy, input queue full \d+% of the time, next stage waiting — raise concurrency or numThreads$/,
      );
      expect(verdict.stages.find((stage) => stage.stage === "fetch")?.condition).toBe("blocked");
      expect(verdict.stages.find((stage) => stage.stage === "store")?.condition).toBe("starved");
    }
    expect(formatVerdict(findBottleneck(end))).toMatch(/^Bottleneck: decode — 1 of 1 slots busy/);
  });

  it("names a pool too small for its stage", async () => {
    const { spec, baseDir } = await loadPipelineFile(new URL("../../examples/pool-starved.pipeline.json", import.meta.url).pathname);
    spec.nodes[0].params.count = 100_000; // still running when observed
    const { builder, buildOptions } = compilePipeline(spec, { baseDir });
    const { middle, end } = await observe(builder.build(buildOptions), 1200);
    const verdict = findBottleneck(end, middle);
    expect(verdict.stage).toBe("preprocess");
    expect(verdict.reason).toMatch(/^2 of its 3 calls wait for a thread, the pool's one thread busy — raise numThreads$/);
    const wholeRun = findBottleneck(end);
    expect(wholeRun.stage).toBe("preprocess");
    expect(wholeRun.stages.find((stage) => stage.stage === "preprocess")?.condition).toBe("pool-bound");
    expect(wholeRun.reason).toMatch(/wait for a thread.* — raise numThreads$/);
  });

  it("never advises more threads than the pool can have", async () => {
    const { spec, baseDir } = await loadPipelineFile(new URL("../../examples/pool-starved.pipeline.json", import.meta.url).pathname);
    spec.nodes[0].params.count = 100_000;
    const { builder, buildOptions } = compilePipeline(spec, { baseDir });
    const { middle, end } = await observe(builder.build({ ...buildOptions, maxThreads: 1 }), 1200);
    const verdict = findBottleneck(end, middle);
    expect(verdict.stage).toBe("preprocess");
    expect(verdict.reason).toMatch(
      /wait for a thread, .* — numThreads is at the pool's maximum \(1\): fewer calls at once, or lighter ones$/,
    );
    expect(findBottleneck(end).reason).not.toContain("raise numThreads");
  });

  it("names an inline synchronous op hogging the event loop", async () => {
    function checksum(x: number): number {
      const until = performance.now() + 3;
      let sum = x;
      while (performance.now() < until) sum = (sum * 31 + 7) % 1_000_003;
      return sum;
    }
    const pipeline = new PipelineBuilder()
      .addSource(naturals())
      .pipe(pause(1), { name: "read", concurrency: 2 })
      .pipe(checksum)
      .addSink()
      .build();
    const { middle, end } = await observe(pipeline, 1200);
    const verdict = findBottleneck(end, middle);
    expect(verdict.stage).toBe("checksum");
    expect(verdict.reason).toMatch(
      /^runs a synchronous op inline and the event loop is \d+% busy — run it on the worker pool \(poolTask\) instead$/,
    );
  });

  it("says none when the consumer sets the pace", async () => {
    const pipeline = new PipelineBuilder().addSource(naturals()).pipe(pause(1), { name: "quick", concurrency: 8 }).addSink(1).build();
    pipeline.start();
    const first = pipeline.stats();
    for (let i = 0; i < 20; i++) {
      await pipeline.getItem();
      await sleep(20);
    }
    const verdict = findBottleneck(pipeline.stats(), first);
    await pipeline.stop();
    expect(verdict.stage).toBeNull();
    expect(formatVerdict(verdict)).toBe("Bottleneck: none");
    expect(verdict.stages[0]).toMatchObject({ stage: "quick", condition: "blocked" });
  });

  it("pool stages that keep up are not pool-bound", async () => {
    const pipeline = new PipelineBuilder()
      .addSource(naturals())
      .pipe(poolTask<number, number>(OPS, "spin", { ms: 1 }), { name: "light", concurrency: 2 })
      .pipe(pause(20), { name: "slow", concurrency: 1 })
      .addSink()
      .build({ numThreads: 2 });
    // Two seconds, judged over the second half: enough 20 ms calls that a busy machine's timer
    // jitter cannot make "slow" look idle.
    const { middle, end } = await observe(pipeline, 2000);
    const verdict = findBottleneck(end, middle);
    expect(verdict.stage).toBe("slow");
    expect(verdict.stages.find((stage) => stage.stage === "light")?.condition).toBe("blocked");
  });
});
