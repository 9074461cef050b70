import type { StudioNode } from "./model.js";

/**
 * The nodes whose name (id) or op contains the query, case-insensitive: names that start with it
 * first, then names containing it, then ops; each group in the graph's order. An empty query finds nothing.
 */
export function findNodes(nodes: readonly StudioNode[], query: string): string[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const rank = (node: StudioNode): number | null => {
    const id = node.id.toLowerCase();
    if (id.startsWith(q)) return 0;
    if (id.includes(q)) return 1;
    if ((node.data.op ?? node.type ?? "").toLowerCase().includes(q)) return 2;
    return null;
  };
  return nodes
    .map((node, order) => ({ id: node.id, order, rank: rank(node) }))
    .filter((found): found is { id: string; order: number; rank: number } => found.rank !== null)
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .map((found) => found.id);
}
