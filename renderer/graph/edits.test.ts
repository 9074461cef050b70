import { describe, expect, it } from "vitest";
import {
  addNode,
  applySettings,
  connect,
  deleteSelection,
  removeEdges,
  removeNodes,
  renameNode,
  setPositions,
  updateNode,
} from "./edits.js";
import { defaultSpec, makeEdge, type GraphSnapshot, type StudioNode } from "./model.js";

/** Graph edits are plain functions: given a graph, the parts they change. */

function node(id: string, kind: StudioNode["type"] = "stage", selected = false): StudioNode {
  return { id, type: kind, position: { x: 0, y: 0 }, data: defaultSpec(kind!, kind === "sink" ? null : "sleep", {}), selected };
}

function graph(): GraphSnapshot {
  return {
    name: "g",
    description: "",
    nodes: [node("src", "source"), node("a"), node("b"), node("out", "sink")],
    edges: [makeEdge("src", "a"), makeEdge("a", "b"), makeEdge("b", "out")],
    build: { numThreads: 4, maxFailures: null, remote: null },
    notes: [],
    groups: [],
  };
}

const ids = (nodes: { id: string }[]): string[] => nodes.map((n) => n.id);

describe("graph edits", () => {
  it("renaming a node carries its edges along", () => {
    const renamed = renameNode(graph(), "a", " decode ");
    expect(renamed).not.toBeNull();
    if (!renamed || "refused" in renamed) throw new Error("expected a change");
    expect(ids(renamed.nodes)).toEqual(["src", "decode", "b", "out"]);
    expect(renamed.edges.map((e) => e.id)).toEqual(["src->decode", "decode->b", "b->out"]);
  });

  it("a rename to a taken id is refused with the reason; an empty or unchanged one changes nothing", () => {
    expect(renameNode(graph(), "a", "b")).toEqual({ refused: '"b" is taken' });
    expect(renameNode(graph(), "a", "  ")).toBeNull();
    expect(renameNode(graph(), "a", "a")).toBeNull();
  });

  it("removing nodes removes the edges that touch them", () => {
    const change = removeNodes(graph(), new Set(["a"]));
    expect(ids(change.nodes)).toEqual(["src", "b", "out"]);
    expect(change.edges.map((e) => e.id)).toEqual(["b->out"]);
    expect(removeEdges(graph(), new Set(["a->b"])).edges.map((e) => e.id)).toEqual(["src->a", "b->out"]);
  });

  it("deletes the selected nodes and edges, and nothing when nothing is selected", () => {
    const g = graph();
    expect(deleteSelection(g)).toBeNull();
    g.nodes[2] = { ...g.nodes[2]!, selected: true };
    g.edges[0] = { ...g.edges[0]!, selected: true };
    const change = deleteSelection(g)!;
    expect(ids(change.nodes)).toEqual(["src", "a", "out"]);
    expect(change.edges).toEqual([]);
  });

  it("connects two nodes once, never a node to itself; a refused wire says why", () => {
    const g = { ...graph(), edges: graph().edges.filter((e) => e.id !== "a->b") };
    expect((connect(g, "a", "b") as { edges: { id: string }[] }).edges.map((e) => e.id)).toContain("a->b");
    expect(connect(graph(), "a", "b")).toEqual({ refused: '"a" already feeds "b"' });
    expect(connect(graph(), "a", "a")).toEqual({ refused: '"a" cannot feed itself (a cycle)' });
    expect(connect(graph(), null, "a")).toBeNull();
  });

  it("a new node is named after its op, made unique, rounded into place and the only one selected", () => {
    const g = graph();
    g.nodes[1] = { ...g.nodes[1]!, selected: true };
    const { id, change } = addNode(g, "stage", "a", { x: 10.4, y: 19.6 }, { ms: 5 });
    expect(id).toBe("a_2");
    const added = change.nodes.at(-1)!;
    expect(added).toMatchObject({ id: "a_2", type: "stage", position: { x: 10, y: 20 }, selected: true });
    expect(added.data).toEqual(defaultSpec("stage", "a", { ms: 5 }));
    expect(change.nodes.filter((n) => n.selected)).toEqual([added]);
    expect(addNode(g, "sink", null, { x: 0, y: 0 }, {}).id).toBe("sink");
  });

  it("updates a node's fields, and its type with its kind", () => {
    const g = graph();
    const change = updateNode(g, "a", { concurrency: 3, kind: "aggregate" });
    expect(change.nodes[1]).toMatchObject({ id: "a", type: "aggregate", data: { concurrency: 3, kind: "aggregate", op: "sleep" } });
    expect(updateNode(g, "b", { concurrency: 2 }).nodes[2]).toMatchObject({ type: "stage", data: { concurrency: 2 } });
    expect(change.nodes[0]).toBe(g.nodes[0]);
  });

  it("applies tuned settings: the stages it names and numThreads; unchanged nodes keep their object", () => {
    const g = graph();
    const change = applySettings(g, { numThreads: 2, concurrency: { a: 6, b: 1 } });
    expect(change.build).toEqual({ numThreads: 2, maxFailures: null, remote: null });
    expect(change.nodes[1]!.data.concurrency).toBe(6);
    expect(change.nodes[2]).toBe(g.nodes[2]);
    expect(change.nodes[0]).toBe(g.nodes[0]);
  });

  it("sets laid-out positions, rounded, leaving the nodes it does not name", () => {
    const g = graph();
    const change = setPositions(g, { a: { x: 1.6, y: 2.2 } });
    expect(change.nodes[1]!.position).toEqual({ x: 2, y: 2 });
    expect(change.nodes[2]).toBe(g.nodes[2]);
  });
});
