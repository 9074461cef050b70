import { describe, expect, it } from "vitest";
import { connectionRefusal } from "./connectRules.js";
import { defaultSpec, makeEdge, type Graph, type StudioNode } from "./model.js";

/** Which wires may be drawn: the drop and the feedback while dragging both ask this. */

function node(id: string, kind: StudioNode["type"] = "stage"): StudioNode {
  const op = kind === "route" ? "routeBy" : kind === "sink" ? null : "sleep";
  return { id, type: kind, position: { x: 0, y: 0 }, data: defaultSpec(kind!, op, {}) };
}

/** src → a → b, c unwired, out the sink; pick a route with path 0 to c. */
function graph(): Graph {
  return {
    nodes: [node("src", "source"), node("a"), node("b"), node("c"), node("pick", "route"), node("out", "sink")],
    edges: [makeEdge("src", "a"), makeEdge("a", "b"), makeEdge("pick", "c", 0)],
  };
}

describe("connectionRefusal", () => {
  it("allows a wire from a node without an output, and a merge (a second input)", () => {
    expect(connectionRefusal(graph(), "b", "out")).toBeNull();
    expect(connectionRefusal(graph(), "c", "b")).toBeNull();
  });

  it("refuses a fan-out from a node that already feeds another, naming it", () => {
    expect(connectionRefusal(graph(), "a", "c")).toMatch(/"a" already feeds "b".*no fan-out.*route/);
    expect(connectionRefusal(graph(), "a", "b")).toBe('"a" already feeds "b"');
  });

  it("refuses a cycle, direct or through other nodes", () => {
    expect(connectionRefusal(graph(), "a", "a")).toMatch(/itself \(a cycle\)/);
    expect(connectionRefusal(graph(), "b", "src")).toMatch(/source, which takes no input/);
    const g = graph();
    g.edges.push(makeEdge("b", "c"));
    expect(connectionRefusal(g, "c", "a")).toBe('"a" already leads to "c": this wire would close a cycle');
  });

  it("refuses anything out of the sink or into a source", () => {
    expect(connectionRefusal(graph(), "out", "c")).toMatch(/"out" is the sink/);
    expect(connectionRefusal(graph(), "c", "src")).toMatch(/"src" is a source/);
  });

  it("lets a route fan out, one wire per path; a path already going there is refused", () => {
    expect(connectionRefusal(graph(), "pick", "b", "path-1")).toBeNull();
    expect(connectionRefusal(graph(), "pick", "b", null)).toBeNull();
    expect(connectionRefusal(graph(), "pick", "c", "path-0")).toBe('path 0 of "pick" already goes to "c"');
  });
});
