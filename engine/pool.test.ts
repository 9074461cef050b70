import { describe, expect, it } from "vitest";
import { PipelineBuilder, poolTask } from "./index.js";
import { builtModuleUrl } from "./pool/builtModule.js";
import { collect, range } from "./testing/helpers.js";

const OPS = builtModuleUrl("./testing/poolOps.js", import.meta.url);

describe("worker pool stages", () => {
  it("with numThreads 3 and concurrency 4, at most 3 run at once and the 4th waits for a thread", async () => {
    const gauge = new Int32Array(new SharedArrayBuffer(8));
    let maxWaiting = 0;
    let maxStageWaiting = 0;
    let maxBusy = 0;
    const pipeline = new PipelineBuilder()
      .addSource(range(60))
      .pipe(poolTask<number, number>(OPS, "spin", { ms: 20, gauge }), { concurrency: 4 })
      .addSink(3)
      .build({
        numThreads: 3,
        onStats: (snapshot) => {
          maxWaiting = Math.max(maxWaiting, snapshot.pool?.waitingTasks ?? 0);
          maxStageWaiting = Math.max(maxStageWaiting, snapshot.stages[1].waitingForThread);
          maxBusy = Math.max(maxBusy, snapshot.pool?.busyThreads ?? 0);
        },
        statsIntervalMs: 5,
      });
    const items = await collect(pipeline);
    expect(items.sort((a, b) => a - b)).toEqual(range(60));
    expect(gauge[1]).toBe(3);
    expect(maxBusy).toBe(3);
    expect(maxWaiting).toBe(1);
    expect(maxStageWaiting).toBe(1);
    const stage = pipeline.stats().stages[1];
    expect(stage.executor).toBe("pool");
    expect(stage.blocksEventLoop).toBe(false);
  });

  it("runs async exports too, called as fn(item, params)", async () => {
    const pipeline = new PipelineBuilder()
      .addSource(range(10))
      .pipe(poolTask<number, number>(OPS, "asyncDouble"), { concurrency: 4 })
      .addSink()
      .build({ numThreads: 2 });
    expect((await collect(pipeline)).sort((a, b) => a - b)).toEqual(range(10).map((x) => x * 2));
  });

  it("moves ArrayBuffers both ways instead of copying them", async () => {
    const input = new ArrayBuffer(4096);
    const pipeline = new PipelineBuilder()
      .addSource([input, new ArrayBuffer(10)])
      .pipe(poolTask<ArrayBuffer, { received: number; previousReturnedLength: number | null; out: ArrayBuffer }>(OPS, "bufferRoundTrip"))
      .addSink()
      .build({ numThreads: 1 });
    const results = await collect(pipeline);
    expect(input.byteLength).toBe(0); // detached here: it was moved to the worker
    expect(results[0].received).toBe(4096);
    expect(results[0].out.byteLength).toBe(1024);
    expect(results[1].previousReturnedLength).toBe(0); // the worker's copy was detached: moved back
  });

  it("a failing call fails only its item", async () => {
    const pipeline = new PipelineBuilder()
      .addSource(range(10))
      .pipe(poolTask<number, number>(OPS, "failOdd"), { concurrency: 8 })
      .addSink()
      .build({ numThreads: 2 });
    expect((await collect(pipeline)).sort((a, b) => a - b)).toEqual([0, 2, 4, 6, 8]);
    const failures = pipeline.failures();
    expect(failures).toHaveLength(5);
    expect(failures[0]).toMatchObject({ stage: "failOdd" });
    expect(failures[0].error.name).toBe("RangeError");
    expect(failures.map((f) => f.itemPreview).sort()).toEqual(["1", "3", "5", "7", "9"]);
  });

  it("a worker that exits while running a call alone fails that call, naming the exit code; the pool replaces it and the pipeline goes on", async () => {
    const source = ["a", "b", "exit", "c", "d", "e"];
    const pipeline = new PipelineBuilder()
      .addSource(source)
      .pipe(poolTask<string, string>(OPS, "exitOn"))
      .addSink()
      .build({ numThreads: 1 });
    const items = await collect(pipeline);
    expect(items).toEqual(["a", "b", "c", "d", "e"]);
    const [failure] = pipeline.failures();
    expect(failure.error.message).toMatch(/^The worker running exitOn .* exited with code 3 and was replaced$/);
    expect(failure.itemPreview).toBe("'exit'");
  });

  it("a worker over its resourceLimits fails its call and is replaced", async () => {
    const pipeline = new PipelineBuilder()
      .addSource(["a", "hog", "b"])
      .pipe(poolTask<string, string>(OPS, "hogOn"))
      .addSink()
      .build({ numThreads: 1, workerResourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 } });
    const items = await collect(pipeline);
    expect(items).toEqual(["a", "b"]);
    expect(pipeline.failures()[0].error.message).toMatch(/ran out of memory/);
  });

  it("a missing export names the module and what it does export", async () => {
    const pipeline = new PipelineBuilder().addSource([1]).pipe(poolTask(OPS, "nope")).addSink().build({ numThreads: 1 });
    await collect(pipeline);
    expect(pipeline.failures()[0].error.message).toMatch(/has no exported function 'nope' \(exports: .*spin/);
  });

  it("setNumThreads changes how many run at once while running", async () => {
    const gauge = new Int32Array(new SharedArrayBuffer(8));
    const pipeline = new PipelineBuilder()
      .addSource(range(40))
      .pipe(poolTask<number, number>(OPS, "spin", { ms: 10, gauge }), { concurrency: 4 })
      .addSink()
      .build({ numThreads: 1 });
    let delivered = 0;
    for await (const _ of pipeline) {
      delivered++;
      if (delivered === 5) {
        expect(gauge[1]).toBe(1);
        pipeline.setNumThreads(3);
      }
    }
    expect(delivered).toBe(40);
    expect(gauge[1]).toBe(3);
    expect(() => pipeline.setNumThreads(0)).toThrow("setNumThreads must be an integer ≥ 1, got 0");
  });
});
