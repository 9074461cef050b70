import { describe, expect, it } from "vitest";
import { ConfigError, merge, PipelineBuilder, PipelineError } from "./index.js";
import { compilePipeline } from "./spec/compile.js";
import { exportPython, exportTypeScript } from "./spec/export/index.js";
import { parsePipelineFile, parsePipelineFileOrThrow } from "./spec/parse.js";
import { collect, range } from "./testing/helpers.js";

async function firstItems(pipeline: AsyncIterable<unknown>, count: number): Promise<unknown[]> {
  const items: unknown[] = [];
  for await (const item of pipeline) {
    items.push(item);
    if (items.length === count) break;
  }
  return items;
}

describe("repeating sources (SPDL's continuous=True)", () => {
  it("addSource(src, { repeat: true }) iterates the source again each time it ends, until stopped", async () => {
    const pipeline = new PipelineBuilder().addSource([1, 2, 3], { name: "numbers", repeat: true }).addSink().build();
    expect(await firstItems(pipeline, 10)).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3, 1]);
    expect(pipeline.state).toBe("stopped");
  });

  it("an async source repeats too; a pass that yields nothing ends it", async () => {
    let passes = 0;
    const source = {
      async *[Symbol.asyncIterator]() {
        passes++;
        if (passes <= 2) yield* ["a", "b"];
      },
    };
    const pipeline = new PipelineBuilder().addSource(source, { repeat: true }).addSink().build();
    expect(await collect(pipeline)).toEqual(["a", "b", "a", "b"]);
    expect(passes).toBe(3);
  });

  it("failure counts are not lifted: a count accumulates over passes and trips, as in SPDL", async () => {
    const failTwo = async (x: number) => {
      if (x < 2) throw new Error(`bad ${x}`);
      return x;
    };
    // 2 failures a pass: the count of 5 is passed in the third pass.
    const pipeline = new PipelineBuilder().addSource(range(10), { repeat: true }).pipe(failTwo).addSink().build({ maxFailures: 5 });
    const delivered: unknown[] = [];
    const error = await (async () => {
      for await (const item of pipeline) delivered.push(item);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipelineError);
    expect((error as PipelineError).failures).toBe(6);
    expect(delivered).toEqual([...range(10).slice(2), ...range(10).slice(2)]);
  });

  it("repeat must be a boolean; merged branches either all repeat or none", () => {
    expect(() => new PipelineBuilder().addSource([1], { repeat: "yes" as unknown as boolean })).toThrow(
      new ConfigError("addSource: repeat must be true or false, got yes"),
    );
    const once = new PipelineBuilder().addSource([1]);
    const again = new PipelineBuilder().addSource([2], { repeat: true });
    expect(() => merge(once, again)).toThrow("merge: either every branch's source repeats or none does (as SPDL requires)");
  });

  it("a file's source node takes repeat (default false); only a source repeats", async () => {
    const file = (repeatOn: string) => ({
      format: "pipeline-studio/1",
      nodes: [
        { id: "items", kind: "source", op: "range", params: { count: 3 }, repeat: repeatOn === "items" },
        { id: "out", kind: "sink", repeat: repeatOn === "out" },
      ],
      edges: [{ from: "items", to: "out" }],
    });
    const spec = parsePipelineFileOrThrow(file("items"));
    expect(spec.nodes.map((node) => node.repeat)).toEqual([true, false]);
    const { builder, buildOptions } = compilePipeline(spec, { baseDir: "." });
    expect(await firstItems(builder.build(buildOptions), 7)).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(parsePipelineFile(file("out")).problems).toContainEqual(
      expect.objectContaining({ path: "nodes[1].repeat", message: "only a source repeats, got true" }),
    );
  });

  it("exports: TypeScript passes repeat to addSource; Python uses continuous=True and one iterator per pass", () => {
    const spec = parsePipelineFileOrThrow({
      format: "pipeline-studio/1",
      nodes: [
        { id: "items", kind: "source", op: "range", params: { count: 3 }, repeat: true },
        { id: "out", kind: "sink" },
      ],
      edges: [{ from: "items", to: "out" }],
    });
    expect(exportTypeScript(spec, { baseDir: "/x" })).toContain('{ name: "items", repeat: true }');
    const python = exportPython(spec, { baseDir: "/x" });
    expect(python).toContain(".add_source(range(0, 3), continuous=True)");
    expect(python).toContain(
      "            while delivered != limit:\n                in_pass = 0\n                for _item in pipeline.get_iterator():",
    );
  });

  it("Python export: the sink's consumer becomes a step in the program's loop", () => {
    const spec = parsePipelineFileOrThrow({
      format: "pipeline-studio/1",
      nodes: [
        { id: "items", kind: "source", op: "range", params: { count: 3 } },
        { id: "out", kind: "sink", consumer: { stepMs: 25, batch: 4 } },
      ],
      edges: [{ from: "items", to: "out" }],
    });
    const python = exportPython(spec, { baseDir: "/x" });
    expect(python).toContain("\nimport time\n");
    expect(python).toContain(
      "                if delivered % 4 == 0:\n                    time.sleep(0.025)  # the sink's consumer: a simulated training step",
    );
  });
});
