import { describe, expect, it } from "vitest";
import { copySelection, paste } from "./clipboard.js";
import { defaultSpec, makeEdge, type Graph, type StudioNode } from "./model.js";

function node(id: string, selected: boolean, x = 0): StudioNode {
  return { id, type: "stage", position: { x, y: 0 }, data: defaultSpec("stage", "sleep", { ms: 1 }), selected };
}

describe("copy and paste", () => {
  const graph: Graph = {
    nodes: [node("a", true, 100), node("b", true, 300), node("c", false)],
    edges: [makeEdge("a", "b"), makeEdge("b", "c")],
  };

  it("copies the selected nodes and only the edges between them; nothing without a selection", () => {
    const clipboard = copySelection(graph)!;
    expect(clipboard.nodes.map((n) => n.id)).toEqual(["a", "b"]);
    expect(clipboard.edges).toEqual([{ from: "a", to: "b" }]);
    expect(copySelection({ nodes: [node("a", false)], edges: [] })).toBeNull();
  });

  it("the copy does not share its params with the graph", () => {
    const clipboard = copySelection(graph)!;
    clipboard.nodes[0]!.spec.params.ms = 99;
    expect(graph.nodes[0]!.data.params.ms).toBe(1);
  });

  it("pastes renamed, offset and selected, with their edges; each paste lands further on", () => {
    const first = paste(graph, copySelection(graph)!);
    const added = first.change.nodes.slice(3);
    expect(added.map((n) => n.id)).toEqual(["a_2", "b_2"]);
    expect(added.map((n) => n.position)).toEqual([
      { x: 140, y: 60 },
      { x: 340, y: 60 },
    ]);
    expect(first.change.nodes.filter((n) => n.selected)).toEqual(added);
    expect(first.change.edges.map((e) => e.id)).toEqual(["a->b", "b->c", "a_2->b_2"]);
    const second = paste(first.change, first.clipboard);
    expect(second.change.nodes.slice(5).map((n) => [n.id, n.position.x])).toEqual([
      ["a_3", 180],
      ["b_3", 380],
    ]);
  });

  it("carries copied notes along: each paste offsets them with the nodes", () => {
    const note = { text: "why", position: { x: 10, y: 20 }, size: { width: 220, height: 120 } };
    const first = paste(graph, { nodes: [], edges: [], notes: [note] });
    expect(first.notes).toEqual([{ ...note, position: { x: 50, y: 80 } }]);
    // Nothing of the graph is added; its selection is cleared for the pasted notes.
    expect(first.change.nodes.map((n) => [n.id, n.selected])).toEqual([
      ["a", false],
      ["b", false],
      ["c", false],
    ]);
    expect(paste(first.change, first.clipboard).notes[0]!.position).toEqual({ x: 90, y: 140 });
  });
});
