import { describe, expect, it } from "vitest";
import { addEmptyPath } from "./edits.js";
import { defaultSpec, makeEdge, pathOf, type Graph, type StudioNode } from "./model.js";
import { edgePathIndex, meetingNode } from "./routePaths.js";

function node(id: string, kind: StudioNode["type"] = "stage"): StudioNode {
  const op = kind === "route" ? "routeBy" : kind === "sink" ? null : "sleep";
  return { id, type: kind, position: { x: 0, y: 0 }, data: defaultSpec(kind!, op, {}) };
}

/** src → pick ─0→ a → a2 ─┐
 *               └1→ b ────┴→ join → out */
function routed(): Graph {
  return {
    nodes: [node("src", "source"), node("pick", "route"), node("a"), node("a2"), node("b"), node("join"), node("out", "sink")],
    edges: [
      makeEdge("src", "pick"),
      makeEdge("pick", "a", 0),
      makeEdge("pick", "b", 1),
      makeEdge("a", "a2"),
      makeEdge("a2", "join"),
      makeEdge("b", "join"),
      makeEdge("join", "out"),
    ],
  };
}

describe("a route's paths on the canvas", () => {
  it("colour every wire along a path, up to the node where the paths meet, and no wire past it", () => {
    const index = edgePathIndex(routed());
    expect(Object.fromEntries(index)).toEqual({
      "pick->a#0": 0,
      "a->a2": 0,
      "a2->join": 0,
      "pick->b#1": 1,
      "b->join": 1,
    });
  });

  it("find where the paths meet, and nothing while no path reaches it", () => {
    expect(meetingNode(routed(), "pick")).toBe("join");
    const unfinished: Graph = { nodes: routed().nodes, edges: [makeEdge("src", "pick"), makeEdge("pick", "a", 0)] };
    expect(meetingNode(unfinished, "pick")).toBeNull();
  });

  it("add an empty path straight to where the paths meet, numbered after the others", () => {
    const change = addEmptyPath(routed(), "pick");
    expect(change).not.toBeNull();
    const added = change!.edges.filter((edge) => edge.source === "pick" && pathOf(edge) === 2);
    expect(added.map((edge) => edge.target)).toEqual(["join"]);
    expect(addEmptyPath({ nodes: routed().nodes, edges: [makeEdge("pick", "a", 0)] }, "pick")).toBeNull();
  });
});
