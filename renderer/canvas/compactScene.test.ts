import { describe, expect, it } from "vitest";
import { makeEdge, type StudioNode } from "../graph/model.js";
import type { QueueMetrics, StageMetrics } from "../store/metrics.js";
import { COMPACT_HEIGHT, HANDLE_REACH, compactBox, inputPoint, nodeAt, nodesInside, outputPoint } from "./compactGeometry.js";
import { barPercent, buildScene, nodesChange, placedNode, wiresChanged, type SceneInputs } from "./compactScene.js";
import { boundsOf } from "./fitGraph.js";
import { reactFlowNodeIds } from "./levelOfDetail.js";

/** The compact layer's scene: where nodes and wires are drawn from afar, and what they show. */

const node = (id: string, type: string, x: number, y: number, extra: Partial<StudioNode> = {}): StudioNode =>
  ({ id, type, position: { x, y }, data: { kind: type, op: null, params: {} }, ...extra }) as unknown as StudioNode;

const nodes = [node("src", "source", 0, 0), node("a", "stage", 300, 0), node("r", "route", 600, 0), node("out", "sink", 900, 0)];
const edges = [makeEdge("src", "a"), makeEdge("a", "r"), makeEdge("r", "out", 0), makeEdge("r", "out", 1)];

function inputs(patch: Partial<SceneInputs> = {}): SceneInputs {
  return {
    nodes,
    edges,
    stages: {},
    queues: {},
    problemNodes: new Set(),
    bottleneck: null,
    wireFrom: null,
    refusals: {},
    reactFlowNodes: new Set(),
    ...patch,
  };
}

describe("compact geometry", () => {
  it("sizes a node by kind, at the compact height", () => {
    expect(compactBox(placedNode(nodes[0]!, edges))).toEqual({ x: 0, y: 0, width: 150, height: COMPACT_HEIGHT });
    expect(compactBox(placedNode(nodes[1]!, edges)).width).toBe(188);
    expect(compactBox(placedNode(nodes[3]!, edges)).width).toBe(130);
  });

  it("starts a wire at the output handle's outer edge and ends it at the input's; a route's paths top to bottom", () => {
    const a = placedNode(nodes[1]!, edges);
    expect(outputPoint(a, undefined)).toEqual({ x: 300 + 188 + HANDLE_REACH, y: COMPACT_HEIGHT / 2 });
    expect(inputPoint(a)).toEqual({ x: 300 - HANDLE_REACH, y: COMPACT_HEIGHT / 2 });
    const route = placedNode(nodes[2]!, edges);
    // Two paths and a spare handle: at a quarter, half and three quarters of the height.
    expect(route.routeHandles).toBe(3);
    expect(outputPoint(route, 0).y).toBe(COMPACT_HEIGHT / 4);
    expect(outputPoint(route, 1).y).toBe(COMPACT_HEIGHT / 2);
  });

  it("finds the node under a point, and the nodes wholly inside a box", () => {
    const placed = nodes.map((n) => placedNode(n, edges));
    expect(nodeAt(placed, { x: 310, y: 50 })).toBe("a");
    expect(nodeAt(placed, { x: 250, y: 50 })).toBeNull();
    expect(nodesInside(placed, { x: -10, y: -10, width: 500, height: 200 })).toEqual(["src", "a"]);
    // A node cut by the box's side is not taken.
    expect(nodesInside(placed, { x: -10, y: -10, width: 400, height: 200 })).toEqual(["src"]);
  });
});

describe("buildScene", () => {
  it("draws each node's busy slots and input queue as 5 % steps; the source has no queue bar, the sink no slots bar", () => {
    const stages = { a: { busyFraction: 0.62 } as StageMetrics, src: { busyFraction: 1.3 } as StageMetrics };
    const queues: Record<string, QueueMetrics> = { "src->a": { depth: 1, capacity: 3, blockedFraction: 0 } };
    const scene = buildScene(inputs({ stages, queues }));
    const byId = Object.fromEntries(scene.nodes.map((n) => [n.id, n]));
    expect(byId.a!.busy).toBe(60);
    expect(byId.a!.fill).toBe(35);
    expect(byId.src!.busy).toBe(100);
    expect(byId.src!.fill).toBeNull();
    expect(byId.out!.busy).toBeNull();
    expect(byId.out!.fill).toBe(0);
    expect(barPercent(0.024)).toBe(0);
    expect(barPercent(0.026)).toBe(5);
  });

  it("colours a wire by its queue's fill, and a route's wires by their path", () => {
    const queues: Record<string, QueueMetrics> = { "a->r": { depth: 9, capacity: 10, blockedFraction: 0 } };
    const scene = buildScene(inputs({ queues }));
    const colour = Object.fromEntries(scene.wires.map((w) => [w.id, w.colour]));
    expect(colour["src->a"]).toBe("idle");
    expect(colour["a->r"]).toBe("red");
    expect(colour["r->out#0"]).toBe("path-0");
    expect(colour["r->out#1"]).toBe("path-1");
  });

  it("marks, while a wire is dragged, where it may end and where not (with why)", () => {
    const scene = buildScene(inputs({ wireFrom: "a", refusals: { src: "a source takes no input", r: null, out: null } }));
    const byId = Object.fromEntries(scene.nodes.map((n) => [n.id, n]));
    expect(byId.a!.wire).toBe("source");
    expect(byId.src!.wire).toBe("refused");
    expect(byId.src!.refusal).toBe("a source takes no input");
    expect(byId.r!.wire).toBe("valid");
    expect(buildScene(inputs()).nodes.every((n) => n.wire === null)).toBe(true);
  });

  it("marks problems, a failed stage and the bottleneck", () => {
    const scene = buildScene(
      inputs({ problemNodes: new Set(["r"]), bottleneck: "a", stages: { src: { state: "failed" } as StageMetrics } }),
    );
    const byId = Object.fromEntries(scene.nodes.map((n) => [n.id, n]));
    expect([byId.r!.problem, byId.a!.bottleneck, byId.src!.failed]).toEqual([true, true, true]);
    expect(byId.a!.problem || byId.r!.bottleneck || byId.a!.failed).toBe(false);
  });
});

describe("from afar", () => {
  it("React Flow draws the nodes pointed at, selected or not yet measured, and their neighbours; the layer the rest", () => {
    const measured = { width: 188, height: 108 };
    const graph = ["a", "b", "c", "d", "e", "f", "g"].map((id) => node(id, "stage", 0, 0, { measured }));
    const chain = [makeEdge("a", "b"), makeEdge("b", "c"), makeEdge("c", "d"), makeEdge("d", "e"), makeEdge("e", "f"), makeEdge("f", "g")];
    expect([...reactFlowNodeIds(graph, chain, [null])]).toEqual([]);
    // Pointed at: c, with b and d, so its two wires join React Flow's nodes.
    expect([...reactFlowNodeIds(graph, chain, ["c"])].sort()).toEqual(["b", "c", "d"]);
    // The scene leaves out what React Flow draws: those nodes and the wires between two of them.
    const scene = buildScene(inputs({ nodes: graph, edges: chain, reactFlowNodes: reactFlowNodeIds(graph, chain, ["c"]) }));
    expect(scene.nodes.filter((n) => n.dom).map((n) => n.id)).toEqual(["b", "c", "d"]);
    expect(scene.wires.filter((w) => w.dom).map((w) => w.id)).toEqual(["b->c", "c->d"]);
    graph[5] = { ...graph[5]!, selected: true };
    graph[0] = node("a", "stage", 0, 0);
    expect([...reactFlowNodeIds(graph, chain, [null])].sort()).toEqual(["a", "b", "e", "f", "g"]);
  });

  it("fits a graph by its compact boxes from afar, by its full sizes near", () => {
    const graph = [node("a", "stage", 0, 0, { measured: { width: 188, height: 140 } }), node("b", "sink", 300, 200)];
    expect(boundsOf(graph, false, [])).toEqual({ x: 0, y: 0, width: 500, height: 290 });
    expect(boundsOf(graph, true, [])).toEqual({ x: 0, y: 0, width: 430, height: 200 + COMPACT_HEIGHT });
  });
});

describe("what a new scene changes in the drawing", () => {
  const stages = (busy: number) => ({ a: { busyFraction: busy } as StageMetrics });
  it("a snapshot that moves bars alone redraws those bars; anything else redraws all", () => {
    const before = buildScene(inputs({ stages: stages(0.2) }));
    expect(nodesChange(before, buildScene(inputs({ stages: stages(0.2) })))).toBe("none");
    const moved = nodesChange(before, buildScene(inputs({ stages: stages(0.5) })));
    expect(Array.isArray(moved) && moved.map((n) => n.id)).toEqual(["a"]);
    expect(nodesChange(before, buildScene(inputs({ stages: stages(0.2), bottleneck: "a" })))).toBe("all");
    const dragged = nodes.map((n) => (n.id === "a" ? { ...n, position: { x: 320, y: 10 } } : n));
    expect(nodesChange(before, buildScene(inputs({ nodes: dragged, stages: stages(0.2) })))).toBe("all");
    // While a wire is dragged (refused nodes faded), bars are drawn with their nodes.
    const wiring = { wireFrom: "a", refusals: { src: "no", r: null, out: null } };
    expect(nodesChange(buildScene(inputs(wiring)), buildScene(inputs({ ...wiring, stages: stages(0.5) })))).toBe("all");
  });

  it("a node React Flow draws (being dragged) changes nothing the layer draws", () => {
    const drawnHere = new Set(["src", "a", "r"]);
    const before = buildScene(inputs({ reactFlowNodes: drawnHere }));
    const dragged = nodes.map((n) => (n.id === "a" ? { ...n, position: { x: 350, y: 40 } } : n));
    const after = buildScene(inputs({ nodes: dragged, reactFlowNodes: drawnHere }));
    expect(nodesChange(before, after)).toBe("none");
    expect(wiresChanged(before, after)).toBe(false);
    // A queue between two of React Flow's nodes is React Flow's to colour; one the layer draws is the layer's.
    const full = { depth: 3, capacity: 3, blockedFraction: 0 };
    const ownQueue = buildScene(inputs({ nodes: dragged, reactFlowNodes: drawnHere, queues: { "src->a": full } }));
    expect(wiresChanged(before, ownQueue)).toBe(false);
    expect(wiresChanged(buildScene(inputs()), buildScene(inputs({ queues: { "src->a": full } })))).toBe(true);
  });
});
