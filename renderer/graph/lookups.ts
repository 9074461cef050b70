import type { StudioEdge, StudioNode } from "./model.js";

/**
 * Lookups a node's store selector makes, built once per nodes or edges array and kept while that
 * array lives (the document gives a new array on every edit, a drag's every move too). Without
 * them each of a 200-stage graph's nodes scanned the whole graph at every change: 40 000 steps
 * a move where these take 200.
 */

function cachedBy<K extends object, V>(build: (key: K) => V): (key: K) => V {
  const cache = new WeakMap<K, V>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = build(key);
      cache.set(key, value);
    }
    return value;
  };
}

/** Each stage's place among the graph's stages in document order, the sink left out (the charts' colour order). */
const stageOrder = cachedBy((nodes: readonly StudioNode[]) => {
  const order = new Map<string, number>();
  for (const node of nodes) if (node.type !== "sink") order.set(node.id, order.size);
  return order;
});

/** `id`'s place among the stages (document order, no sink), or -1 when it is not one. */
export const stageIndex = (nodes: readonly StudioNode[], id: string): number => stageOrder(nodes).get(id) ?? -1;

/** The first edge into each node. */
const firstInbound = cachedBy((edges: readonly StudioEdge[]) => {
  const inbound = new Map<string, string>();
  for (const edge of edges) if (!inbound.has(edge.target)) inbound.set(edge.target, edge.id);
  return inbound;
});

/** The id of the first edge into `id` (its input queue), or "" when none feeds it. */
export const inboundEdge = (edges: readonly StudioEdge[], id: string): string => firstInbound(edges).get(id) ?? "";
