import { describe, expect, it } from "vitest";
import { ConfigError, PipelineBuilder, poolTask } from "./index.js";
import { collect, range } from "./testing/helpers.js";

describe("PipelineBuilder", () => {
  it("runs the documented shape end to end", async () => {
    async function double(x: number) {
      return x * 2;
    }
    const pipeline = new PipelineBuilder().addSource(range(10)).pipe(double, { concurrency: 4 }).addSink(3).build({ numThreads: 1 });
    const items = await collect(pipeline);
    expect(items.sort((a, b) => a - b)).toEqual(range(10).map((x) => x * 2));
  });

  it("names stages after their functions and suffixes duplicates", () => {
    async function step(x: number) {
      return x;
    }
    const pipeline = new PipelineBuilder()
      .addSource([1])
      .pipe(step)
      .pipe(step)
      .pipe(step, { name: "step" })
      .pipe(async (x: number) => x)
      .addSink()
      .build();
    expect(pipeline.stageNames).toEqual(["source", "step", "step-2", "step-3", "stage"]);
  });

  it.each([
    [{ concurrency: 0 }, "pipe('step'): concurrency must be an integer ≥ 1, got 0"],
    [{ concurrency: 1.5 }, "pipe('step'): concurrency must be an integer ≥ 1, got 1.5"],
    [{ outputOrder: "random" }, 'pipe(\'step\'): outputOrder must be one of "completion", "input", got "random"'],
    [{ queueSize: -1 }, "pipe('step'): queueSize must be an integer ≥ 1, got -1"],
    [{ maxFailures: 1.5 }, "pipe('step'): maxFailures must be an integer ≥ 0 or a fraction between 0 and 1, got 1.5"],
    [{ timeoutMs: 0 }, "pipe('step'): timeoutMs must be a number > 0, got 0"],
    [{ retries: -2 }, "pipe('step'): retries must be an integer ≥ 0, got -2"],
    [{ concurency: 2 }, "pipe: unknown option 'concurency'"],
    [{ concurrency: 1025 }, "pipe('step'): concurrency must be at most 1024, got 1025"],
    [{ queueSize: 2147483648 }, "pipe('step'): queueSize must be at most 100000, got 2147483648"],
    [{ retries: 101 }, "pipe('step'): retries must be at most 100, got 101"],
    [{ timeoutMs: 2 ** 31 }, "pipe('step'): timeoutMs must be at most 2147483647 ms, got 2147483648"],
    [{ retryDelayMs: 1e12 }, "pipe('step'): retryDelayMs must be at most 2147483647 ms, got 1000000000000"],
  ])("rejects bad pipe options %o", (options, message) => {
    const step = async (x: number) => x;
    expect(() => new PipelineBuilder().addSource([1]).pipe(step, options as never)).toThrow(ConfigError);
    expect(() => new PipelineBuilder().addSource([1]).pipe(step, options as never)).toThrow(message);
  });

  it("says what is missing", () => {
    expect(() => new PipelineBuilder().build()).toThrow("no source");
    expect(() => new PipelineBuilder().addSource([1]).build()).toThrow("no sink");
    expect(() => new PipelineBuilder().pipe(async (x: never) => x)).toThrow("add a source first");
    expect(() =>
      new PipelineBuilder()
        .addSource([1])
        .addSink()
        .pipe(async (x: number) => x),
    ).toThrow("already has a sink");
    expect(() => new PipelineBuilder().addSource(42 as never)).toThrow("Iterable or AsyncIterable");
    expect(() => new PipelineBuilder().addSource([1]).addSink().build({ numThreads: 0 })).toThrow(
      "numThreads must be an integer ≥ 1, got 0",
    );
  });

  it("holds sizes to their bounds, naming the bound", () => {
    const open = () => new PipelineBuilder().addSource([1]);
    expect(() => open().aggregate(1_000_001)).toThrow("aggregate: size must be at most 1000000, got 1000001");
    expect(() => open().aggregate(2, { queueSize: 100_001 })).toThrow("aggregate: queueSize must be at most 100000, got 100001");
    expect(() => open().disaggregate({ queueSize: 0 })).toThrow("disaggregate: queueSize must be an integer ≥ 1, got 0");
    expect(() => open().addSink(100_001)).toThrow("addSink: bufferSize must be at most 100000, got 100001");
    expect(() => open().addSink(-1)).toThrow("addSink: bufferSize must be an integer ≥ 0, got -1");
    expect(() => open().addSink().build({ numThreads: 1024 })).toThrow("build(): numThreads must be at most 128, got 1024");
    expect(() => open().addSink().build({ maxThreads: 129 })).toThrow("build(): maxThreads must be at most 128, got 129");
  });

  it("holds the live knobs to the same bounds", () => {
    const pipeline = new PipelineBuilder()
      .addSource([1])
      .pipe(async (x: number) => x, { name: "step" })
      .addSink()
      .build();
    expect(() => pipeline.setConcurrency("step", 1025)).toThrow("setConcurrency('step') must be at most 1024, got 1025");
    expect(() => pipeline.setNumThreads(129)).toThrow("setNumThreads must be at most 128, got 129");
    pipeline.setConcurrency("step", 1024);
    expect(pipeline.stats().stages.find((stage) => stage.name === "step")!.concurrency).toBe(1024);
  });

  it("addSink(0) is an unbounded buffer: the source runs to its end with nobody reading", async () => {
    let sourceEnded!: () => void;
    const ended = new Promise<void>((resolve) => (sourceEnded = resolve));
    async function* numbers() {
      yield* range(1000);
      sourceEnded();
    }
    const pipeline = new PipelineBuilder().addSource(numbers()).addSink(0).build();
    pipeline.start();
    // With any bound the source would wait for room here, and this would never resolve.
    await ended;
    const sink = pipeline.stats().queues.find((queue) => queue.to === "sink")!;
    expect(sink).toMatchObject({ capacity: 0, depth: 1000 });
    expect(await collect(pipeline)).toEqual(range(1000));
  });

  it("checks poolTask arguments", () => {
    expect(() => poolTask("./relative.js", "f")).toThrow("is relative");
    expect(() => poolTask("/abs/op.ts", "f")).toThrow("is TypeScript");
    expect(() => poolTask("/abs/op.js", "")).toThrow("exportName");
    expect(() => poolTask("/abs/op.js", "f", { fn: () => 1 })).toThrow("structured clone");
  });

  it("types flow from stage to stage", async () => {
    const pipeline = new PipelineBuilder()
      .addSource(["a", "bb"])
      .pipe(async (s: string) => s.length)
      .pipe((n: number) => ({ n }))
      .addSink()
      .build();
    const items: { n: number }[] = await collect(pipeline);
    expect(items.map((item) => item.n).sort()).toEqual([1, 2]);
    // @ts-expect-error: a string stage cannot follow a number stage
    new PipelineBuilder().addSource([1]).pipe(async (s: string) => s.toUpperCase());
  });
});
