import { describe, expect, it } from "vitest";
import { lastNodeOf, nodesOf, planPipeline, type Chain } from "./graphWalk.js";
import { commentText, pyIdentifier, pyLiteral, snakeCase, stringLiteral, tsIdentifier, tsLiteral } from "./identifiers.js";
import { exportPython, exportTypeScript } from "./index.js";
import { nestedMergeFile, runnableMergeFile, seedLikeFile } from "./testFiles.js";

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
      start: { merge: [{ start: { merge: [{ start: "a", steps: [] }, { start: "b", steps: [] }] }, steps: ["inner"] }, { start: "c", steps: [] }] },
      steps: ["outer"],
    });
    expect(nodesOf(plan.chain).map((node) => node.id)).toEqual(["a", "b", "inner", "c", "outer"]);
    expect(plan.chain.start.kind === "merge" && plan.chain.start.branches.map((branch) => lastNodeOf(branch)?.id)).toEqual(["inner", "c"]);
  });

  it("has the exporters declare an inner merge's branches before the branch that merges them", () => {
    const ts = exportTypeScript(nestedMergeFile(), { baseDir: "/x" });
    const order = ["const aBranch =", "const bBranch =", "const innerBranch = merge(aBranch, bBranch)", "const cBranch =", "const pipeline = merge(innerBranch, cBranch)"];
    expect(order.map((text) => ts.indexOf(text))).toEqual(order.map((text) => ts.indexOf(text)).sort((x, y) => x - y));
    expect(order.every((text) => ts.includes(text))).toBe(true);
    const py = exportPython(nestedMergeFile(), { baseDir: "/x" });
    const pyOrder = ["a_branch = PipelineConfig(", "b_branch = PipelineConfig(", "inner_branch = PipelineConfig(\n        src=Merge([a_branch, b_branch]),", "c_branch = PipelineConfig(", "src=Merge([inner_branch, c_branch]),"];
    expect(pyOrder.every((text) => py.includes(text))).toBe(true);
    expect(pyOrder.map((text) => py.indexOf(text))).toEqual(pyOrder.map((text) => py.indexOf(text)).sort((x, y) => x - y));
  });
});

describe("identifiers", () => {
  it("makes identifiers from free-text ids, never a keyword, never twice", () => {
    const ts = new Set<string>();
    expect(["Download images (v2)", "class", "class", "2nd pass", "!!!", "jitterMs"].map((id) => tsIdentifier(id, ts))).toEqual(["downloadImagesV2", "class2", "class3", "n2ndPass", "node", "jitterMs"]);
    const py = new Set<string>(["make_sleep"]);
    expect(["Download images (v2)", "class", "class", "2nd pass", "!!!", "range", "make sleep"].map((id) => pyIdentifier(id, py))).toEqual([
      "download_images_v2",
      "class_2",
      "class_3",
      "n_2nd_pass",
      "node",
      "range_2",
      "make_sleep_2",
    ]);
    expect(tsIdentifier("words", new Set(), "branch")).toBe("wordsBranch");
    expect(pyIdentifier("words", new Set(), "branch")).toBe("words_branch");
    const stages = new Set(["gzip"]);
    expect(["gzip", "gzip", "gzip"].map((id) => pyIdentifier(id, stages, "", "stage"))).toEqual(["gzip_stage", "gzip_stage_2", "gzip_stage_3"]);
    expect(snakeCase("jitterMs")).toBe("jitter_ms");
  });

  it("writes strings and values both languages read back unchanged", () => {
    expect(stringLiteral('a "b"\n\u2028c\\')).toBe('"a \\"b\\"\\n\\u2028c\\\\"');
    expect(tsLiteral({ ms: 1, "odd key": [true, null, "x"], nested: {} })).toBe('{ ms: 1, "odd key": [true, null, "x"], nested: {} }');
    expect(pyLiteral({ ms: 1, "odd key": [true, null, "x"], nested: {} })).toBe('{"ms": 1, "odd key": [True, None, "x"], "nested": {}}');
  });

  it("keeps comment text on one line, whatever line breaks it holds", () => {
    expect(commentText("a\nb\rc\u2028d\u0085e")).toBe("a\\nb\\rc\\u2028d\\u0085e");
  });

  it("keeps an id with a line break out of the code around a comment", () => {
    const spec = runnableMergeFile();
    for (const text of [exportTypeScript(spec, { baseDir: "/x" }), exportPython(spec, { baseDir: "/x" })]) {
      for (const line of text.split("\n")) expect(line.startsWith("class") || line.trim() === 'class"', line).toBe(false);
    }
  });
});
