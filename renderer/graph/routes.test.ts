import { describe, expect, it } from "vitest";
import type { PipelineFile } from "../api/types.js";
import { connect as connectEdge, deleteSelection, pathCount, removePath, renameNode } from "./edits.js";
import { copySelection, paste } from "./clipboard.js";
import { defaultSpec, fromSpec, makeEdge, toSpec, type GraphSnapshot, type StudioNode } from "./model.js";

/** A route on the canvas: its edges carry their path, the handle they leave from names it. */

function node(id: string, kind: StudioNode["type"] = "stage", selected = false): StudioNode {
  const op = kind === "route" ? "routeBy" : kind === "sink" ? null : "sleep";
  return { id, type: kind, position: { x: 0, y: 0 }, data: defaultSpec(kind!, op, {}), selected };
}

function routed(): GraphSnapshot {
  return {
    name: "g",
    description: "",
    nodes: [node("src", "source"), node("pick", "route"), node("a"), node("b"), node("c"), node("join"), node("out", "sink")],
    edges: [
      makeEdge("src", "pick"),
      makeEdge("pick", "a", 0),
      makeEdge("pick", "b", 1),
      makeEdge("pick", "c", 2),
      makeEdge("a", "join"),
      makeEdge("b", "join"),
      makeEdge("c", "join"),
      makeEdge("join", "out"),
    ],
    build: { numThreads: 4, maxFailures: null, remote: null },
    notes: [],
    groups: [],
  };
}

const paths = (graph: Pick<GraphSnapshot, "edges">) =>
  graph.edges.filter((e) => e.data?.path !== undefined).map((e) => `${e.data!.path}:${e.source}->${e.target}`);

describe("routes on the canvas", () => {
  it("keep each edge's path from the file to the canvas and back (save, reopen)", () => {
    const spec = toSpec(routed());
    expect(spec.edges!.slice(0, 4)).toEqual([
      { from: "src", to: "pick" },
      { from: "pick", to: "a", path: 0 },
      { from: "pick", to: "b", path: 1 },
      { from: "pick", to: "c", path: 2 },
    ]);
    const reopened = fromSpec(spec as PipelineFile);
    expect(paths(reopened)).toEqual(["0:pick->a", "1:pick->b", "2:pick->c"]);
    expect(reopened.edges[1]).toMatchObject({ id: "pick->a#0", sourceHandle: "path-0" });
  });

  it("connecting from a route's handle starts that path; from the spare handle, a new one; a path starts once", () => {
    const graph = routed();
    const connect = (g: GraphSnapshot, from: string, to: string, handle: string) => {
      const change = connectEdge(g, from, to, handle);
      if (!change || "refused" in change) throw new Error(`not connected: ${JSON.stringify(change)}`);
      return change;
    };
    const added = connect(graph, "pick", "join", "path-3");
    expect(paths(added)).toEqual(["0:pick->a", "1:pick->b", "2:pick->c", "3:pick->join"]);
    expect(pathCount(added, "pick")).toBe(4);
    // Path 1 drawn again to another node: it moves, it is not doubled.
    const moved = connect(graph, "pick", "join", "path-1");
    expect(paths(moved)).toEqual(["0:pick->a", "2:pick->c", "1:pick->join"]);
    // Two empty paths to the same node are two edges.
    const twice = connect({ ...graph, edges: added.edges }, "pick", "join", "path-4");
    expect(twice.edges.filter((e) => e.source === "pick" && e.target === "join").map((e) => e.id)).toEqual([
      "pick->join#3",
      "pick->join#4",
    ]);
  });

  it("removing a path numbers the later ones down, so paths stay 0 to n−1", () => {
    expect(paths(removePath(routed(), "pick", 1))).toEqual(["0:pick->a", "1:pick->c"]);
  });

  it("Delete on a path's wire, or on the node it leads to, numbers the later paths down as well", () => {
    const wireSelected = routed();
    wireSelected.edges = wireSelected.edges.map((e) => (e.source === "pick" && e.target === "b" ? { ...e, selected: true } : e));
    expect(paths(deleteSelection(wireSelected)!)).toEqual(["0:pick->a", "1:pick->c"]);
    const nodeSelected = routed();
    nodeSelected.nodes = nodeSelected.nodes.map((n) => (n.id === "a" ? { ...n, selected: true } : n));
    expect(paths(deleteSelection(nodeSelected)!)).toEqual(["0:pick->b", "1:pick->c"]);
  });

  it("renaming, copying and pasting keep the paths", () => {
    const renamed = renameNode(routed(), "pick", "byKind");
    if (!renamed || "refused" in renamed) throw new Error("expected a change");
    expect(paths(renamed)).toEqual(["0:byKind->a", "1:byKind->b", "2:byKind->c"]);
    const graph = routed();
    for (const n of graph.nodes) n.selected = ["pick", "a", "b"].includes(n.id);
    const { change } = paste(graph, copySelection(graph)!);
    expect(paths({ edges: change.edges.slice(graph.edges.length) })).toEqual(["0:pick_2->a_2", "1:pick_2->b_2"]);
  });
});
