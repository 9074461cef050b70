import { describe, expect, it } from "vitest";
import { defaultSpec, makeEdge, type Graph, type StudioNode } from "./model.js";
import { selectAll, selectEdge, selectOnly } from "./selection.js";

function node(id: string, selected: boolean): StudioNode {
  return { id, type: "stage", position: { x: 0, y: 0 }, data: defaultSpec("stage", "sleep", {}), selected };
}

const selected = (items: { id: string; selected?: boolean }[]): string[] => items.filter((i) => i.selected).map((i) => i.id);

describe("selection", () => {
  const graph: Graph = { nodes: [node("a", true), node("b", false), node("c", false)], edges: [{ ...makeEdge("a", "b"), selected: true }] };

  it("selects exactly the nodes asked for, and no edge; nodes whose selection stays keep their object", () => {
    const next = selectOnly(graph, ["a", "c"]);
    expect(selected(next.nodes)).toEqual(["a", "c"]);
    expect(selected(next.edges)).toEqual([]);
    expect(next.nodes[0]).toBe(graph.nodes[0]);
  });

  it("selects one edge and no node", () => {
    const next = selectEdge({ ...graph, edges: [makeEdge("a", "b"), makeEdge("b", "c")] }, "b->c");
    expect(selected(next.nodes)).toEqual([]);
    expect(selected(next.edges)).toEqual(["b->c"]);
  });

  it("selects every node", () => {
    expect(selected(selectAll(graph).nodes)).toEqual(["a", "b", "c"]);
  });
});
