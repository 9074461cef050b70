import { pathOf, type Graph } from "./model.js";

/**
 * Where a route's paths run on the canvas: each path is followed from its edge out of the route,
 * node by node, to the node where the paths meet again (the first with several inputs). A route
 * on a path keeps its own colours, so a path's walk stops there.
 */

interface PathWalk {
  /** The ids of the edges along the path, the route's own first. */
  edges: string[];
  /** Where the walk ended: the node the paths meet in, or null when the path is not finished. */
  meet: string | null;
}

function walkPath(graph: Pick<Graph, "nodes" | "edges">, first: Graph["edges"][number]): PathWalk {
  const inputs = new Map<string, number>();
  for (const edge of graph.edges) inputs.set(edge.target, (inputs.get(edge.target) ?? 0) + 1);
  const kinds = new Map(graph.nodes.map((node) => [node.id, node.type]));
  const edges = [first.id];
  const seen = new Set<string>();
  let at = first.target;
  for (;;) {
    if ((inputs.get(at) ?? 0) > 1) return { edges, meet: at };
    if (kinds.get(at) === "route" || seen.has(at)) return { edges, meet: null };
    seen.add(at);
    const out = graph.edges.filter((edge) => edge.source === at);
    if (out.length !== 1) return { edges, meet: null };
    edges.push(out[0].id);
    at = out[0].target;
  }
}

/** Each edge on a route's path with the path's index (for its colour). */
export function edgePathIndex(graph: Pick<Graph, "nodes" | "edges">): Map<string, number> {
  const index = new Map<string, number>();
  for (const edge of graph.edges) {
    const path = pathOf(edge);
    if (path === undefined) continue;
    for (const id of walkPath(graph, edge).edges) if (!index.has(id)) index.set(id, path);
  }
  return index;
}

/** The node a route's paths meet in, once a path reaches it; null before. */
export function meetingNode(graph: Pick<Graph, "nodes" | "edges">, route: string): string | null {
  for (const edge of graph.edges) {
    if (edge.source !== route || pathOf(edge) === undefined) continue;
    const { meet } = walkPath(graph, edge);
    if (meet) return meet;
  }
  return null;
}

let cached: { graph: Pick<Graph, "nodes" | "edges">; index: Map<string, number> } | null = null;

/** The path an edge is on (the index for its colour), from an index kept until the graph changes. */
export function pathAlong(graph: Pick<Graph, "nodes" | "edges">, edgeId: string): number | undefined {
  if (!cached || cached.graph.nodes !== graph.nodes || cached.graph.edges !== graph.edges) {
    cached = { graph: { nodes: graph.nodes, edges: graph.edges }, index: edgePathIndex(graph) };
  }
  return cached.index.get(edgeId);
}
