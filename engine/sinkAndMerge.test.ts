import { describe, expect, it } from "vitest";
import { ConfigError, merge, PipelineBuilder } from "./index.js";
import { parsePipelineFileOrThrow } from "./spec/parse.js";
import { collect, range } from "./testing/helpers.js";

describe("sink and merge, as SPDL's", () => {
  it("addSink() buffers 3 items, as SPDL's add_sink()", async () => {
    const pipeline = new PipelineBuilder().addSource(range(10)).addSink().build();
    expect(pipeline.stats().queues.at(-1)!.capacity).toBe(3);
    await pipeline.stop();
  });

  it("addSink(0) is unbounded: a never-read pipeline takes the whole source in", async () => {
    const pipeline = new PipelineBuilder()
      .addSource(range(5000))
      .pipe(async (x: number) => x)
      .addSink(0)
      .build();
    pipeline.start();
    // No reader: with a bounded sink the source would stop a few items in.
    for (let waited = 0; pipeline.stats().queues.at(-1)!.depth < 5000 && waited < 10_000; waited++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(pipeline.stats().queues.at(-1)).toMatchObject({ depth: 5000, capacity: 0 });
    expect(await collect(pipeline)).toEqual(range(5000));
  });

  it("merge accepts a single branch, passing its items through", async () => {
    const branch = new PipelineBuilder().addSource(range(5)).pipe(async (x: number) => x * 2, { name: "double" });
    const pipeline = merge(branch)
      .pipe(async (x: number) => x + 1, { name: "inc" })
      .addSink()
      .build();
    expect(await collect(pipeline)).toEqual([1, 3, 5, 7, 9]);
    expect(() => merge()).toThrow(new ConfigError("merge: needs at least 1 branch, got 0"));
  });

  it("a file's sink without a queueSize buffers 3; other nodes' queues hold 2", () => {
    const spec = parsePipelineFileOrThrow({
      format: "pipeline-studio/1",
      nodes: [
        { id: "items", kind: "source", op: "list", params: { items: [1] } },
        { id: "work", kind: "stage", op: "sleep", params: { ms: 1 } },
        { id: "out", kind: "sink" },
      ],
      edges: [
        { from: "items", to: "work" },
        { from: "work", to: "out" },
      ],
    });
    expect(spec.nodes.map((node) => node.queueSize)).toEqual([2, 2, 3]);
  });
});
