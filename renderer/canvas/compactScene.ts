import type { Rect } from "@xyflow/react";
import { pathCount } from "../graph/edits.js";
import { edgeId, PATH_COLOURS, type StudioEdge, type StudioNode } from "../graph/model.js";
import { pathAlong } from "../graph/routePaths.js";
import type { QueueMetrics, StageMetrics } from "../store/metrics.js";
import { compactBox, inputPoint, outputPoint, routeHandleCount, wirePath, type PlacedNode } from "./compactGeometry.js";
import { fillColour } from "./queueColour.js";

/** A compact bar's steps (percent): a finer change is under a pixel from afar. */
const BAR_STEP = 5;
export const barPercent = (fraction: number): number => Math.round((Math.min(1, Math.max(0, fraction)) * 100) / BAR_STEP) * BAR_STEP;

/** How a node reads while a wire is dragged. */
export type WireMark = "source" | "valid" | "refused" | null;

export interface SceneNode extends PlacedNode {
  box: Rect;
  /** Slots busy, recent mean, percent in 5 % steps; null for the sink (no slots of its own). */
  busy: number | null;
  /** The input queue's fill, percent in 5 % steps; null when nothing feeds it. */
  fill: number | null;
  problem: boolean;
  failed: boolean;
  bottleneck: boolean;
  wire: WireMark;
  /** Why a wire may not be dropped here (while one is dragged). */
  refusal: string | null;
  /** Drawn by React Flow (pointed at, selected, or next to one): the layer leaves it out. */
  dom: boolean;
}

/** A wire's colour: its queue's fill (NiFi's back-pressure colours), or along a route, its path's. */
export type WireColour = "idle" | "green" | "amber" | "red" | `path-${number}`;

export interface SceneWire {
  id: string;
  source: string;
  target: string;
  path: string;
  colour: WireColour;
  selected: boolean;
  /** Drawn by React Flow (both its ends are): the layer leaves it out. */
  dom: boolean;
}

export interface CompactScene {
  nodes: SceneNode[];
  wires: SceneWire[];
}

/** What the scene is drawn from: the document, the run's last snapshot, and the wire being dragged. */
export interface SceneInputs {
  nodes: StudioNode[];
  edges: StudioEdge[];
  stages: Readonly<Record<string, StageMetrics>>;
  queues: Readonly<Record<string, QueueMetrics>>;
  problemNodes: ReadonlySet<string>;
  bottleneck: string | null;
  wireFrom: string | null;
  refusals: Readonly<Record<string, string | null>>;
  /** The nodes React Flow draws (levelOfDetail.ts). */
  reactFlowNodes: ReadonlySet<string>;
}

const queueFill = (queue: QueueMetrics | undefined): number | null =>
  queue ? (queue.capacity > 0 ? Math.min(1, queue.depth / queue.capacity) : 0) : null;

function wireMark(id: string, from: string | null, refusals: SceneInputs["refusals"]): WireMark {
  if (from === null) return null;
  if (from === id) return "source";
  return refusals[id] ? "refused" : "valid";
}

export function placedNode(node: StudioNode, edges: StudioEdge[]): PlacedNode {
  const kind = node.type ?? "stage";
  return {
    id: node.id,
    kind,
    position: node.position,
    routeHandles: kind === "route" ? routeHandleCount(pathCount({ edges }, node.id)) : 0,
  };
}

export function buildScene(inputs: SceneInputs): CompactScene {
  const { nodes, edges, stages, queues } = inputs;
  const byId = new Map<string, SceneNode>();
  // Each node's input queue: its first inbound edge's, keyed from→to as the run reports queues.
  const inputQueue = new Map<string, string>();
  for (const edge of edges) if (!inputQueue.has(edge.target)) inputQueue.set(edge.target, edgeId(edge.source, edge.target));
  const sceneNodes = nodes.map((node): SceneNode => {
    const placed = placedNode(node, edges);
    const inbound = inputQueue.get(node.id);
    const scene: SceneNode = {
      ...placed,
      box: compactBox(placed),
      busy: placed.kind === "sink" ? null : barPercent(stages[node.id]?.busyFraction ?? 0),
      fill: inbound !== undefined ? barPercent(queueFill(queues[inbound]) ?? 0) : null,
      problem: inputs.problemNodes.has(node.id),
      failed: stages[node.id]?.state === "failed",
      bottleneck: inputs.bottleneck === node.id,
      wire: wireMark(node.id, inputs.wireFrom, inputs.refusals),
      refusal: inputs.wireFrom !== null ? (inputs.refusals[node.id] ?? null) : null,
      dom: inputs.reactFlowNodes.has(node.id),
    };
    byId.set(node.id, scene);
    return scene;
  });
  const wires: SceneWire[] = [];
  for (const edge of edges) {
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (!source || !target) continue;
    const path = pathAlong({ nodes, edges }, edge.id);
    const queue = queues[edgeId(edge.source, edge.target)];
    const fill = queueFill(queue);
    const colour: WireColour = path !== undefined ? `path-${path % PATH_COLOURS}` : fill === null ? "idle" : fillColour(fill);
    wires.push({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      path: wirePath(outputPoint(source, edge.data?.path), inputPoint(target)),
      colour,
      selected: Boolean(edge.selected),
      dom: source.dom && target.dom,
    });
  }
  return { nodes: sceneNodes, wires };
}

const sameBox = (a: Rect, b: Rect): boolean => a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;

/** Whether two scene nodes look the same apart from their bars. */
const sameButBars = (a: SceneNode, b: SceneNode): boolean =>
  a.id === b.id &&
  a.kind === b.kind &&
  a.routeHandles === b.routeHandles &&
  sameBox(a.box, b.box) &&
  a.problem === b.problem &&
  a.failed === b.failed &&
  a.bottleneck === b.bottleneck &&
  a.wire === b.wire &&
  a.refusal === b.refusal &&
  a.dom === b.dom;

/**
 * What a new scene changes in the nodes drawn: nothing, only some nodes' bars (those nodes
 * returned), or more (everything is drawn again).
 */
export function nodesChange(before: CompactScene, after: CompactScene): "none" | "all" | SceneNode[] {
  if (before.nodes.length !== after.nodes.length) return "all";
  const moved: SceneNode[] = [];
  for (let i = 0; i < after.nodes.length; i++) {
    const [a, b] = [before.nodes[i]!, after.nodes[i]!];
    // A node React Flow draws before and after (one being dragged) is not the layer's.
    if (a.dom && b.dom && a.id === b.id) continue;
    if (!sameButBars(a, b)) return "all";
    if (a.busy !== b.busy || a.fill !== b.fill) moved.push(b);
  }
  if (moved.length === 0) return "none";
  // Faded nodes (a wire being dragged) are drawn whole: a faded bar would not cover the old one.
  return after.nodes.some((node) => node.wire === "refused") ? "all" : moved;
}

/** Whether a new scene draws any wire otherwise (where, its colour, selected, or by React Flow). */
export function wiresChanged(before: CompactScene, after: CompactScene): boolean {
  if (before.wires.length !== after.wires.length) return true;
  return after.wires.some((b, i) => {
    const a = before.wires[i]!;
    if (a.dom && b.dom && a.id === b.id) return false;
    return a.id !== b.id || a.path !== b.path || a.colour !== b.colour || a.selected !== b.selected || a.dom !== b.dom;
  });
}
