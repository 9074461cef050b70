import { describe, expect, it } from "vitest";
import { inboundEdge, stageIndex } from "./lookups.js";
import { makeEdge, type StudioNode } from "./model.js";

const node = (id: string, type: StudioNode["type"]): StudioNode =>
  ({ id, type, position: { x: 0, y: 0 }, data: {} }) as unknown as StudioNode;

describe("stageIndex", () => {
  it("numbers the stages in document order without the sink, -1 for the sink or an unknown id", () => {
    const nodes = [node("src", "source"), node("sink", "sink"), node("a", "stage"), node("b", "route")];
    expect(["src", "a", "b"].map((id) => stageIndex(nodes, id))).toEqual([0, 1, 2]);
    expect(stageIndex(nodes, "sink")).toBe(-1);
    expect(stageIndex(nodes, "nope")).toBe(-1);
  });

  it("reads a new array afresh (an edit), not the index of the one before", () => {
    const nodes = [node("a", "stage"), node("b", "stage")];
    expect(stageIndex(nodes, "b")).toBe(1);
    expect(stageIndex([nodes[1], nodes[0]], "b")).toBe(0);
  });
});

describe("inboundEdge", () => {
  it("gives the first edge into a node, or an empty string when none feeds it", () => {
    const edges = [makeEdge("src", "a"), makeEdge("a", "b"), makeEdge("x", "b")];
    expect(inboundEdge(edges, "b")).toBe("a->b");
    expect(inboundEdge(edges, "a")).toBe("src->a");
    expect(inboundEdge(edges, "src")).toBe("");
    expect(inboundEdge([makeEdge("x", "b")], "b")).toBe("x->b");
  });
});
