import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { catalog as builtinCatalog, type OpDefinition } from "../ops/index.js";
import { collect } from "../testing/helpers.js";
import { compilePipeline } from "./compile.js";
import { parsePipelineFileOrThrow } from "./parse.js";
import { SpecError } from "./problems.js";
import { validatePipelineFile } from "./validateFile.js";
import { ladderFile } from "./testing/deepGraphs.js";

const baseDir = tmpdir();

/** A source, `stages` sleep stages one after another, a sink. */
function chainFile(stages: number): unknown {
  const nodes: Record<string, unknown>[] = [{ id: "numbers", kind: "source", op: "range", params: { count: 5 } }];
  for (let index = 0; index < stages; index++) nodes.push({ id: `s${index}`, kind: "stage", op: "sleep", params: { ms: 0 } });
  nodes.push({ id: "sink", kind: "sink" });
  return { format: "pipeline-studio/1", nodes, edges: nodes.slice(1).map((node, index) => ({ from: nodes[index].id, to: node.id })) };
}

describe("compilePipeline", () => {
  it("compiles and runs a chain of 2,000 stages", async () => {
    const spec = parsePipelineFileOrThrow(chainFile(2000));
    expect(validatePipelineFile(spec).problems).toEqual([]);
    const { builder, buildOptions } = compilePipeline(spec, { baseDir });
    const pipeline = builder.build(buildOptions);
    expect(pipeline.stageNames).toHaveLength(2001);
    expect((await collect(pipeline)).sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it("compiles and runs merges nested 3,000 deep", async () => {
    const { builder, buildOptions } = compilePipeline(parsePipelineFileOrThrow(ladderFile(3000)), { baseDir });
    const pipeline = builder.build(buildOptions);
    expect(pipeline.stageNames).toHaveLength(6001);
    expect(pipeline.stageNames.slice(0, 3)).toEqual(["first", "more0", "m0"]);
    const item = (await pipeline.getItem()) as number;
    expect(item <= 1 || (item >= 100 && item < 3100)).toBe(true);
    await pipeline.stop();
  });

  it("turns whatever an op's factory throws into a SpecError at its node", () => {
    const refusing: OpDefinition = {
      name: "refuse",
      kind: "stage",
      category: "simulated",
      execution: "loop",
      description: "refuses to be built",
      synonyms: [],
      params: z.strictObject({}),
      createOp() {
        throw new ConfigError("refuse: not today");
      },
    };
    const catalog = new Map([...builtinCatalog, ["refuse", refusing]]);
    const file = chainFile(1) as { nodes: Record<string, unknown>[] };
    file.nodes[1] = { id: "s0", kind: "stage", op: "refuse" };
    const error = (() => {
      try {
        compilePipeline(parsePipelineFileOrThrow(file), { baseDir, catalog });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems).toEqual([{ path: "nodes[1]", message: "refuse: not today", nodeId: "s0" }]);
  });

  it("refuses what validate reports with the file's folder: a missing files folder, a missing module", () => {
    const file = chainFile(1) as { nodes: Record<string, unknown>[] };
    file.nodes[0] = { id: "numbers", kind: "source", op: "files", params: { folder: "no-such-folder" } };
    file.nodes[1] = { id: "s0", kind: "stage", op: "module", params: { path: "no-such.mjs" } };
    const expected = [
      { path: "nodes[0].params.folder", message: `the folder ${join(baseDir, "no-such-folder")} does not exist`, nodeId: "numbers" },
      { path: "nodes[1].params.path", message: `${join(baseDir, "no-such.mjs")} does not exist`, nodeId: "s0" },
    ];
    expect(validatePipelineFile(file, { baseDir }).problems).toEqual(expected);
    // Without a folder to look in, the file is judged as written (a half-drawn pipeline may be saved).
    expect(validatePipelineFile(file).problems).toEqual([]);
    expect(() => compilePipeline(parsePipelineFileOrThrow(file), { baseDir })).toThrow(new SpecError(expected));
  });
});
