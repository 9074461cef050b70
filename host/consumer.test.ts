import { describe, expect, it } from "vitest";
import { PipelineBuilder, type ConsumerSpec } from "../engine/index.js";
import { formatReadiness } from "../engine/format.js";
import { parsePipelineFile, parsePipelineFileOrThrow } from "../engine/spec/parse.js";
import { compilePipeline } from "../engine/spec/compile.js";
import { sleep } from "../engine/testing/helpers.js";
import { consume } from "./consume.js";

function paced(itemMs: number, count: number, consumer: ConsumerSpec | undefined) {
  async function* produce() {
    for (let i = 0; i < count; i++) {
      if (itemMs > 0) await sleep(itemMs);
      yield i;
    }
  }
  return new PipelineBuilder()
    .addSource(produce())
    .addSink()
    .build(consumer ? { consumer } : {});
}

describe("a simulated consumer: readiness and CPU share", () => {
  it("a consumer slower than the pipeline is kept fed: readiness near 1", async () => {
    const consumer = { stepMs: 10, batch: 1 };
    const pipeline = paced(0, 30, consumer);
    const result = await consume(pipeline, { consumer });
    expect(result.itemsDelivered).toBe(30);
    const snapshot = pipeline.stats();
    expect(snapshot.readiness).toBeGreaterThan(0.8);
    // 30 steps of 10 ms: the consumer set the pace.
    expect(snapshot.elapsedMs).toBeGreaterThanOrEqual(250);
  });

  it("a consumer faster than the pipeline waits: readiness well below 1", async () => {
    const consumer = { stepMs: 1, batch: 5 };
    const pipeline = paced(8, 30, consumer);
    await consume(pipeline, { consumer });
    expect(pipeline.stats().readiness).toBeLessThan(0.5);
  });

  it("without a consumer readiness is null; cpu is a share of the machine", async () => {
    const pipeline = new PipelineBuilder()
      .addSource([1, 2, 3])
      .pipe((x: number) => {
        const until = performance.now() + 20;
        while (performance.now() < until);
        return x;
      })
      .addSink()
      .build();
    await consume(pipeline);
    const snapshot = pipeline.stats();
    expect(snapshot.readiness).toBeNull();
    expect(snapshot.cpu).toBeGreaterThan(0);
    expect(snapshot.cpu).toBeLessThanOrEqual(1);
  });

  it("the sink node's consumer field: { stepMs, batch = 1 }; only the sink has one", () => {
    const file = (consumerOn: "out" | "items") => ({
      format: "pipeline-studio/1",
      nodes: [
        { id: "items", kind: "source", op: "range", params: { count: 3 }, ...(consumerOn === "items" ? { consumer: { stepMs: 5 } } : {}) },
        { id: "out", kind: "sink", ...(consumerOn === "out" ? { consumer: { stepMs: 5 } } : {}) },
      ],
      edges: [{ from: "items", to: "out" }],
    });
    const spec = parsePipelineFileOrThrow(file("out"));
    expect(spec.nodes.map((node) => node.consumer)).toEqual([null, { stepMs: 5, batch: 1 }]);
    expect(compilePipeline(spec, { baseDir: "." }).buildOptions.consumer).toEqual({ stepMs: 5, batch: 1 });
    expect(parsePipelineFile(file("items")).problems).toContainEqual(
      expect.objectContaining({ path: "nodes[0].consumer", message: expect.stringContaining("only the sink has a consumer") }),
    );
  });

  it("the Readiness line", () => {
    expect(formatReadiness(0.997)).toBe("Readiness: 99.7 % (the consumer waited 0.3 % of the time)");
    expect(formatReadiness(1)).toBe("Readiness: 100.0 % (the consumer waited 0.0 % of the time)");
  });
});
