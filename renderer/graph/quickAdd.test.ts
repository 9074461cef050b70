import { describe, expect, it } from "vitest";
import { defaultSpec, makeEdge, type Graph, type StudioNode } from "./model.js";
import { addAfter, addBefore, addRefusal, disconnectAll, duplicate, insertOnEdge, type NewNode } from "./quickAdd.js";

/** Quick-add and the context menus' edits: each one plain function, one undo step in the store. */

function node(id: string, kind: StudioNode["type"] = "stage"): StudioNode {
  return { id, type: kind, position: { x: 0, y: 0 }, data: defaultSpec(kind!, kind === "sink" ? null : "sleep", {}) };
}

function graph(): Graph {
  return {
    nodes: [node("src", "source"), node("a"), node("b"), node("out", "sink")],
    edges: [makeEdge("src", "a"), makeEdge("b", "out")],
  };
}
const cpu: NewNode = { kind: "stage", op: "cpu", position: { x: 10, y: 20 }, params: { ms: 1 } };
const wires = (g: Pick<Graph, "edges">) => g.edges.map((e) => e.id);

describe("quick-add and context-menu edits", () => {
  it("adds a node wired from the output a wire was dropped from, selected, where asked", () => {
    const added = addAfter(graph(), cpu, "a", null);
    expect(added.refused).toBeNull();
    expect(added.id).toBe("cpu");
    expect(wires(added.change)).toEqual(["src->a", "b->out", "a->cpu"]);
    expect(added.change.nodes.find((n) => n.id === "cpu")).toMatchObject({ position: { x: 10, y: 20 }, selected: true });
  });

  it("adds the node unwired, with the reason, when the wire is refused", () => {
    const added = addAfter(graph(), cpu, "src", null);
    expect(added.refused).toMatch(/"src" already feeds "a".*no fan-out/);
    expect(added.change.nodes.map((n) => n.id)).toContain("cpu");
    expect(wires(added.change)).toEqual(["src->a", "b->out"]);
    expect(addAfter(graph(), { ...cpu, kind: "source", op: "range" }, "a", null).refused).toMatch(/source, which takes no input/);
  });

  it("adds a node feeding the input a wire was dragged from; a sink there is refused with the reason", () => {
    const added = addBefore(graph(), cpu, "b");
    expect(added.refused).toBeNull();
    expect(wires(added.change)).toEqual(["src->a", "b->out", "cpu->b"]);
    expect(addBefore(graph(), { ...cpu, kind: "sink", op: null }, "b").refused).toMatch(/is the sink; nothing comes after it/);
  });

  it("inserts a node on a wire: a → new → b, keeping a route's path", () => {
    const inserted = insertOnEdge(graph(), "src->a", cpu);
    if ("refused" in inserted) throw new Error(inserted.refused);
    expect(wires(inserted.change)).toEqual(["b->out", "src->cpu", "cpu->a"]);
    const routed: Graph = { nodes: [...graph().nodes, node("pick", "route")], edges: [makeEdge("pick", "b", 1)] };
    const onPath = insertOnEdge(routed, "pick->b#1", cpu);
    if ("refused" in onPath) throw new Error(onPath.refused);
    expect(wires(onPath.change)).toEqual(["pick->cpu#1", "cpu->b"]);
  });

  it("refuses to put a source or the sink on a wire", () => {
    expect(insertOnEdge(graph(), "src->a", { ...cpu, kind: "sink", op: null })).toEqual({
      refused: "the sink has no output, so it cannot sit on a wire",
    });
    expect(insertOnEdge(graph(), "src->a", { ...cpu, kind: "source" })).toMatchObject({ refused: expect.stringMatching(/source/) });
  });

  it("says in advance, for the picker, what a pick would refuse, and changes nothing to find out", () => {
    const g = graph();
    const range: NewNode = { ...cpu, kind: "source", op: "range" };
    expect(addRefusal(g, { kind: "add" }, range)).toBeNull();
    expect(addRefusal(g, { kind: "after", from: "a", fromHandle: null }, cpu)).toBeNull();
    expect(addRefusal(g, { kind: "after", from: "a", fromHandle: null }, range)).toMatch(/source, which takes no input/);
    // From an output that feeds another already, every op would be left unwired.
    expect(addRefusal(g, { kind: "after", from: "src", fromHandle: null }, cpu)).toMatch(/no fan-out/);
    expect(addRefusal(g, { kind: "before", to: "b" }, { ...cpu, kind: "sink", op: null })).toMatch(/is the sink/);
    expect(addRefusal(g, { kind: "onEdge", edgeId: "src->a" }, range)).toMatch(/source/);
    expect(addRefusal(g, { kind: "onEdge", edgeId: "src->a" }, cpu)).toBeNull();
    expect(g).toEqual(graph());
  });

  it("disconnects every wire of a node, and changes nothing for a node without wires", () => {
    const g: Graph = { ...graph(), edges: [makeEdge("src", "a"), makeEdge("a", "b"), makeEdge("b", "out")] };
    expect(wires(disconnectAll(g, "a")!)).toEqual(["b->out"]);
    expect(disconnectAll({ ...g, edges: [] }, "a")).toBeNull();
  });

  it("duplicates nodes renamed and offset, with the wires between them", () => {
    const g: Graph = { ...graph(), edges: [makeEdge("a", "b")] };
    const copy = duplicate(g, ["a", "b"])!;
    expect(copy.nodes.filter((n) => n.selected).map((n) => n.id)).toEqual(["a_2", "b_2"]);
    expect(wires(copy)).toEqual(["a->b", "a_2->b_2"]);
  });
});
