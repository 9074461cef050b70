import type { XYPosition } from "@xyflow/react";
import type { BuildSettings, NodeKind } from "../api/types.js";
import {
  defaultSpec,
  makeEdge,
  pathOf,
  roundPosition,
  uniqueId,
  type Graph,
  type GraphSnapshot,
  type NodeSpec,
  type StudioEdge,
  type StudioNode,
} from "./model.js";
import { connectionRefusal } from "./connectRules.js";
import { meetingNode } from "./routePaths.js";
import { withoutSelection } from "./selection.js";

/**
 * The graph changes a user makes, as plain functions: each takes the graph as it is and returns
 * the parts it changes (null: nothing to change). The document store records each result as one
 * undo step.
 */

/** The nodes and every edge that touches them. */
export function removeNodes(graph: Graph, ids: Set<string>): Graph {
  return {
    nodes: graph.nodes.filter((n) => !ids.has(n.id)),
    edges: graph.edges.filter((e) => !ids.has(e.source) && !ids.has(e.target)),
  };
}

export function removeEdges(graph: Graph, ids: Set<string>): Pick<Graph, "edges"> {
  return { edges: graph.edges.filter((e) => !ids.has(e.id)) };
}

/**
 * A queue from source to target, or the reason it is refused (connectionRefusal: a cycle, a
 * fan-out, a wire twice, into a source or out of the sink); null without both ends. Out of a
 * route, the handle names the path (`path-N`): the path's edge is replaced if it had one, so each
 * path starts once.
 */
export function connect(
  graph: Graph,
  source: string | null,
  target: string | null,
  sourceHandle: string | null = null,
): Pick<Graph, "edges"> | { refused: string } | null {
  if (!source || !target) return null;
  const refusal = connectionRefusal(graph, source, target, sourceHandle);
  if (refusal) return { refused: refusal };
  if (graph.nodes.find((n) => n.id === source)?.type === "route") {
    const path = pathFromHandle(sourceHandle) ?? nextPath(graph, source);
    const others = graph.edges.filter((e) => !(e.source === source && pathOf(e) === path));
    return { edges: [...others, makeEdge(source, target, path)] };
  }
  return { edges: [...graph.edges, makeEdge(source, target)] };
}

function pathFromHandle(handle: string | null): number | undefined {
  const match = handle === null ? null : /^path-(\d+)$/.exec(handle);
  return match ? Number(match[1]) : undefined;
}

/** The paths a route has: one past the highest path index its edges carry (0 with none). */
export function pathCount(graph: Pick<Graph, "edges">, route: string): number {
  let count = 0;
  for (const edge of graph.edges) if (edge.source === route) count = Math.max(count, (pathOf(edge) ?? -1) + 1);
  return count;
}

function nextPath(graph: Graph, route: string): number {
  return pathCount(graph, route);
}

/** A new, empty path out of a route, straight to where its paths meet (null before a path reaches it). */
export function addEmptyPath(graph: Graph, route: string): Pick<Graph, "edges"> | null {
  const meet = meetingNode(graph, route);
  return meet === null ? null : { edges: [...graph.edges, makeEdge(route, meet, nextPath(graph, route))] };
}

/** A route's path removed, the later paths numbered down by one, so paths stay 0 to n−1. */
export function removePath(graph: Graph, route: string, path: number): Pick<Graph, "edges"> {
  return {
    edges: graph.edges
      .filter((e) => !(e.source === route && pathOf(e) === path))
      .map((e) => {
        const index = pathOf(e);
        return e.source === route && index !== undefined && index > path ? makeEdge(e.source, e.target, index - 1) : e;
      }),
  };
}

/** A new node named after its op (or kind), the only one selected. */
export function addNode(
  graph: Graph,
  kind: NodeKind,
  op: string | null,
  position: XYPosition,
  params: Record<string, unknown>,
): { id: string; change: Pick<Graph, "nodes"> } {
  const id = uniqueId(op ?? kind, new Set(graph.nodes.map((n) => n.id)));
  const node: StudioNode = { id, type: kind, position: roundPosition(position), data: defaultSpec(kind, op, params), selected: true };
  return { id, change: { nodes: [...withoutSelection(graph.nodes), node] } };
}

/** A node's fields; a new kind changes the component that draws it too. */
export function updateNode(graph: Graph, id: string, patch: Partial<NodeSpec>): Pick<Graph, "nodes"> {
  return {
    nodes: graph.nodes.map((n) => (n.id === id ? { ...n, data: { ...n.data, ...patch }, ...(patch.kind ? { type: patch.kind } : {}) } : n)),
  };
}

/** A node's new id, carried along its edges. An empty or unchanged id changes nothing; a taken one is refused with the reason. */
export function renameNode(graph: Graph, id: string, newId: string): Graph | { refused: string } | null {
  const target = newId.trim();
  if (!target || target === id) return null;
  if (graph.nodes.some((n) => n.id === target)) return { refused: `"${target}" is taken` };
  return {
    nodes: graph.nodes.map((n) => (n.id === id ? { ...n, id: target } : n)),
    edges: graph.edges.map((e) =>
      e.source === id || e.target === id
        ? makeEdge(e.source === id ? target : e.source, e.target === id ? target : e.target, pathOf(e))
        : e,
    ),
  };
}

export function setBuild(graph: GraphSnapshot, patch: Partial<BuildSettings>): Pick<GraphSnapshot, "build"> {
  return { build: { ...graph.build, ...patch } };
}

/** Auto-tune's settings: concurrency per stage (stages it does not name keep theirs) and numThreads. */
export function applySettings(
  graph: GraphSnapshot,
  settings: { numThreads: number; concurrency: Record<string, number> },
): Pick<GraphSnapshot, "nodes" | "build"> {
  return {
    nodes: graph.nodes.map((node) => {
      const concurrency = settings.concurrency[node.id];
      return concurrency === undefined || concurrency === node.data.concurrency ? node : { ...node, data: { ...node.data, concurrency } };
    }),
    build: { ...graph.build, numThreads: settings.numThreads },
  };
}

/** The selected nodes and edges, and the edges of the nodes removed; null when nothing is selected. */
export function deleteSelection(graph: Graph): Graph | null {
  const ids = new Set(graph.nodes.filter((n) => n.selected).map((n) => n.id));
  const edges = graph.edges.filter((e) => !e.selected && !ids.has(e.source) && !ids.has(e.target));
  if (ids.size === 0 && edges.length === graph.edges.length) return null;
  return { nodes: graph.nodes.filter((n) => !ids.has(n.id)), edges: compactPaths(edges) };
}

/** A route whose path wires went keeps its paths numbered 0 to n−1, in their order (as removePath does). */
function compactPaths(edges: StudioEdge[]): StudioEdge[] {
  const numbering = new Map<string, Map<number, number>>();
  for (const edge of edges) {
    const path = pathOf(edge);
    if (path === undefined) continue;
    const paths = numbering.get(edge.source) ?? new Map<number, number>();
    paths.set(path, 0);
    numbering.set(edge.source, paths);
  }
  for (const paths of numbering.values()) [...paths.keys()].sort((a, b) => a - b).forEach((path, index) => paths.set(path, index));
  return edges.map((edge) => {
    const path = pathOf(edge);
    const renumbered = path === undefined ? undefined : numbering.get(edge.source)!.get(path)!;
    return renumbered === path ? edge : makeEdge(edge.source, edge.target, renumbered);
  });
}

/** Auto-layout's positions, rounded; nodes it does not name stay where they are. */
export function setPositions(graph: Graph, positions: Record<string, XYPosition>): Pick<Graph, "nodes"> {
  return { nodes: graph.nodes.map((n) => (positions[n.id] ? { ...n, position: roundPosition(positions[n.id]!) } : n)) };
}
