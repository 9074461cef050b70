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
    const pipeline = new PipelineBuilder().addSource([1]).pipe(step).pipe(step).pipe(step, { name: "step" }).pipe(async (x: number) => x).addSink().build();
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
  ])("rejects bad pipe options %o", (options, message) => {
    const step = async (x: number) => x;
    expect(() => new PipelineBuilder().addSource([1]).pipe(step, options as never)).toThrow(ConfigError);
    expect(() => new PipelineBuilder().addSource([1]).pipe(step, options as never)).toThrow(message);
  });

  it("says what is missing", () => {
    expect(() => new PipelineBuilder().build()).toThrow("no source");
    expect(() => new PipelineBuilder().addSource([1]).build()).toThrow("no sink");
    expect(() => new PipelineBuilder().pipe(async (x: never) => x)).toThrow("add a source first");
    expect(() => new PipelineBuilder().addSource([1]).addSink().pipe(async (x: number) => x)).toThrow("already has a sink");
    expect(() => new PipelineBuilder().addSource(42 as never)).toThrow("Iterable or AsyncIterable");
    expect(() => new PipelineBuilder().addSource([1]).addSink().build({ numThreads: 0 })).toThrow("numThreads must be an integer ≥ 1, got 0");
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
