import { readFile, readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PipelineError } from "../engine/index.js";
import { collect } from "../engine/testing/helpers.js";
import { compilePipeline, loadPipelineFile, serializePipelineFile } from "../engine/spec/index.js";

const folder = fileURLToPath(new URL(".", import.meta.url));

async function runExample(name: string): Promise<{ items: unknown[]; error?: unknown; stageNames: string[] }> {
  const { spec, baseDir } = await loadPipelineFile(`${folder}${name}.pipeline.json`);
  const { builder, buildOptions } = compilePipeline(spec, { baseDir });
  const pipeline = builder.build(buildOptions);
  const items: unknown[] = [];
  try {
    for await (const item of pipeline) items.push(item);
  } catch (error) {
    return { items, error, stageNames: pipeline.stageNames };
  }
  return { items, stageNames: pipeline.stageNames };
}

describe("example pipeline files", () => {
  it("are all present and saved in canonical form (every field, defaults included)", async () => {
    const files = (await readdir(folder)).filter((name) => name.endsWith(".pipeline.json")).sort();
    expect(files).toEqual(
      [
        "failing-stage",
        "files-gzip-sha256",
        "input-order",
        "pool-starved",
        "remote-cpu",
        "route-by-kind",
        "seed-download-preprocess",
        "training-loop",
      ].map((n) => `${n}.pipeline.json`),
    );
    for (const file of files) {
      const text = await readFile(`${folder}${file}`, "utf8");
      const { spec } = await loadPipelineFile(`${folder}${file}`);
      expect(serializePipelineFile(spec), file).toBe(text);
    }
  });

  it("seed: urls → download ×4 → preprocess ×2 on 3 threads → sink 3", async () => {
    const { spec } = await loadPipelineFile(`${folder}seed-download-preprocess.pipeline.json`);
    expect(spec.nodes.map((node) => [node.id, node.op, node.concurrency])).toEqual([
      ["urls", "range", 1],
      ["download", "sleep", 4],
      ["preprocess", "cpu", 2],
      ["sink", null, 1],
    ]);
    expect(spec.nodes[3].queueSize).toBe(3);
    expect(spec.build.numThreads).toBe(3);
    const { items, error } = await runExample("seed-download-preprocess");
    expect(error).toBeUndefined();
    expect(items).toHaveLength(200);
  });

  it("pool-starved runs 3-way concurrency on 1 thread", async () => {
    const { items, error } = await runExample("pool-starved");
    expect(error).toBeUndefined();
    expect(items).toHaveLength(100);
  });

  it("training-loop batches 320 samples by 8 for a consumer of 50 ms per batch", async () => {
    const { spec } = await loadPipelineFile(`${folder}training-loop.pipeline.json`);
    const sink = spec.nodes.find((node) => node.kind === "sink")!;
    expect(sink.consumer).toEqual({ stepMs: 50, batch: 1 });
    const { items, error } = await runExample("training-loop");
    expect(error).toBeUndefined();
    expect(items).toHaveLength(40);
    expect((items as unknown[][]).every((batch) => batch.length === 8)).toBe(true);
  });

  it("input-order delivers in source order", async () => {
    const { items } = await runExample("input-order");
    expect(items).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });

  it("files-gzip-sha256 hashes every data file", async () => {
    const { items, error } = await runExample("files-gzip-sha256");
    expect(error).toBeUndefined();
    expect(items).toHaveLength(6);
    for (const item of items as { path: string; sha256: string }[]) {
      expect(item.path).toMatch(/data\/log-\d\.txt$/);
      expect(item.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it("route-by-kind sends each kind down its path, and the paths meet again at store", async () => {
    const { spec, baseDir } = await loadPipelineFile(`${folder}route-by-kind.pipeline.json`);
    const pipeline = compilePipeline(spec, { baseDir }).builder.build({ numThreads: 2 });
    const items = (await collect(pipeline)) as { id: number; kind: string }[];
    expect(items.map((item) => item.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    const stats = pipeline.stats();
    expect(stats.stages.find((stage) => stage.name === "byKind")).toMatchObject({ kind: "route", routed: [30, 20, 10], failures: 0 });
    expect(stats.stages.filter((stage) => stage.path).map((stage) => [stage.name, stage.path!.index, stage.itemsOut])).toEqual([
      ["resizeThumb", 0, 30],
      ["decodePhoto", 1, 20],
      ["transcodeVideo", 2, 10],
    ]);
    expect(stats.queues.map((queue) => queue.name)).toContain("resizeThumb+decodePhoto+transcodeVideo→store");
  });

  it("failing-stage stops with an error naming the stage, after delivering what passed", async () => {
    const { items, error } = await runExample("failing-stage");
    expect(error).toBeInstanceOf(PipelineError);
    expect((error as PipelineError).stage).toBe("flaky");
    expect((error as PipelineError).message).toContain("simulated failure");
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThan(200);
  });
});
