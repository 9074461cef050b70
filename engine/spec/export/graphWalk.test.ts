import { describe, expect, it } from "vitest";
import { lastNodeOf, nodesOf, planPipeline, type Chain } from "./graphWalk.js";
import { exportPython, exportTypeScript } from "./index.js";
import { parsePipelineFileOrThrow } from "../parse.js";
import { ladderFile } from "../testing/deepGraphs.js";
import { nestedMergeFile, seedLikeFile } from "./testing/files.js";

/** A chain as ids: "a b > inner" style, to compare shapes at a glance. */
function shape(chain: Chain): unknown {
  const start = chain.start.kind === "source" ? chain.start.source.id : { merge: chain.start.branches.map(shape) };
  return { start, steps: chain.steps.map((node) => node.id) };
}

describe("planPipeline", () => {
  it("reads a chain from the source to the sink", () => {
    const plan = planPipeline(seedLikeFile());
    expect(shape(plan.chain)).toEqual({ start: "urls", steps: ["download", "preprocess"] });
    expect(plan.sink.id).toBe("sink");
  });

  it("turns several inputs into a merge of branches in edge order, however deep", () => {
    const plan = planPipeline(nestedMergeFile());
    expect(shape(plan.chain)).toEqual({
      start: {
        merge: [
          {
            start: {
              merge: [
                { start: "a", steps: [] },
                { start: "b", steps: [] },
              ],
            },
            steps: ["inner"],
          },
          { start: "c", steps: [] },
        ],
      },
      steps: ["outer"],
    });
    expect(nodesOf(plan.chain).map((node) => node.id)).toEqual(["a", "b", "inner", "c", "outer"]);
    expect(plan.chain.start.kind === "merge" && plan.chain.start.branches.map((branch) => lastNodeOf(branch)?.id)).toEqual(["inner", "c"]);
  });

  it("exports merges nested 3,000 deep, deeper than the call stack goes, innermost branch first", () => {
    const spec = parsePipelineFileOrThrow(ladderFile(3000));
    const typescript = exportTypeScript(spec, { baseDir: "/tmp" });
    expect(typescript).toContain("merge(firstBranch, more0Branch)");
    expect(typescript.indexOf("const m0Branch = ")).toBeLessThan(typescript.indexOf("const m2998Branch = "));
    expect(typescript).toContain("merge(m2998Branch, more2999Branch)");
    const python = exportPython(spec, { baseDir: "/tmp" });
    expect(python).toContain("src=Merge([first_branch, more0_branch]),");
    expect(python).toContain("src=Merge([m2998_branch, more2999_branch]),");
    expect(nodesOf(planPipeline(spec).chain)).toHaveLength(6001);
  });

  it("has the exporters declare an inner merge's branches before the branch that merges them", () => {
    const ts = exportTypeScript(nestedMergeFile(), { baseDir: "/x" });
    const order = [
      "const aBranch =",
      "const bBranch =",
      "const innerBranch = merge(aBranch, bBranch)",
      "const cBranch =",
      "const pipeline = merge(innerBranch, cBranch)",
    ];
    expect(order.map((text) => ts.indexOf(text))).toEqual(order.map((text) => ts.indexOf(text)).sort((x, y) => x - y));
    expect(order.every((text) => ts.includes(text))).toBe(true);
    const py = exportPython(nestedMergeFile(), { baseDir: "/x" });
    const pyOrder = [
      "a_branch = PipelineConfig(",
      "b_branch = PipelineConfig(",
      "inner_branch = PipelineConfig(\n        src=Merge([a_branch, b_branch]),",
      "c_branch = PipelineConfig(",
      "src=Merge([inner_branch, c_branch]),",
    ];
    expect(pyOrder.every((text) => py.includes(text))).toBe(true);
    expect(pyOrder.map((text) => py.indexOf(text))).toEqual(pyOrder.map((text) => py.indexOf(text)).sort((x, y) => x - y));
  });
});
