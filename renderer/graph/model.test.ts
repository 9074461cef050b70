import { describe, expect, it } from "vitest";
import type { PipelineFile } from "../api/types.js";
import { fromSpec, toSpec, uniqueId } from "./model.js";

describe("the graph model", () => {
  it("names a node uniquely: spaces become underscores, a taken name gets _2, _3, …", () => {
    expect(uniqueId("my op", new Set())).toBe("my_op");
    expect(uniqueId("a", new Set(["a", "a_2"]))).toBe("a_3");
    expect(uniqueId("", new Set())).toBe("node");
  });

  it("a pipeline file comes back from the canvas as it went in, positions rounded", () => {
    const file: PipelineFile = {
      format: "pipeline-studio/1",
      name: "p",
      description: "d",
      nodes: [
        {
          id: "src",
          kind: "source",
          op: "range",
          params: { n: 3 },
          concurrency: 1,
          outputOrder: "completion",
          queueSize: 2,
          timeoutMs: null,
          retries: 0,
          maxFailures: null,
          repeat: false,
          consumer: null,
          runOn: null,
          position: { x: 1, y: 2 },
        },
        {
          id: "out",
          kind: "sink",
          op: null,
          params: {},
          concurrency: 1,
          outputOrder: "completion",
          queueSize: 3,
          timeoutMs: null,
          retries: 0,
          maxFailures: null,
          repeat: false,
          consumer: null,
          runOn: null,
          position: { x: 300, y: 2 },
        },
      ],
      edges: [{ from: "src", to: "out" }],
      build: { numThreads: 2, maxFailures: null, remote: null },
      notes: [],
      groups: [],
    };
    const graph = fromSpec(file);
    expect(graph.edges.map((e) => e.id)).toEqual(["src->out"]);
    expect(graph.nodes.map((n) => n.type)).toEqual(["source", "sink"]);
    graph.nodes[0]!.position = { x: 1.4, y: 2.6 };
    expect(toSpec(graph)).toEqual({ ...file, nodes: [{ ...file.nodes[0], position: { x: 1, y: 3 } }, file.nodes[1]] });
  });
});
