import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { PipelineFile } from "../api/types.js";
import { fromSpec } from "./model.js";
import { drawsRunGraph } from "./runGraph.js";

const example = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../examples/${name}.pipeline.json`, import.meta.url), "utf8")) as PipelineFile;

describe("drawsRunGraph", () => {
  const seed = example("seed-download-preprocess");

  it("the same nodes and edges draw the run, whatever the knobs, params and positions", () => {
    const tweaked = fromSpec(seed);
    tweaked.nodes = tweaked.nodes.map((node) => ({
      ...node,
      position: { x: node.position.x + 50, y: 0 },
      data: { ...node.data, concurrency: node.data.concurrency + 3, params: { ...node.data.params, extra: 1 } },
    }));
    expect(drawsRunGraph(tweaked, seed)).toBe(true);
  });

  it("another graph does not: other ids, an op changed, an edge rewired, a node more", () => {
    expect(drawsRunGraph(fromSpec(example("input-order")), seed)).toBe(false);
    const otherOp = fromSpec(seed);
    otherOp.nodes = otherOp.nodes.map((node) => (node.id === "preprocess" ? { ...node, data: { ...node.data, op: "sleep" } } : node));
    expect(drawsRunGraph(otherOp, seed)).toBe(false);
    const rewired = fromSpec(seed);
    rewired.edges = rewired.edges.map((edge) => (edge.source === "urls" ? { ...edge, target: "preprocess" } : edge));
    expect(drawsRunGraph(rewired, seed)).toBe(false);
    const more = fromSpec(seed);
    more.nodes = [...more.nodes, { ...more.nodes[1]!, id: "download2" }];
    expect(drawsRunGraph(more, seed)).toBe(false);
  });
});
