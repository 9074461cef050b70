import type { Graph, StudioNode } from "./model.js";

/** Selection is not an edit: these change what is selected, never the pipeline (no undo step). */

/** The nodes with none selected (unchanged ones keep their object). */
export const withoutSelection = (nodes: StudioNode[]): StudioNode[] => nodes.map((n) => (n.selected ? { ...n, selected: false } : n));

/** Exactly these nodes selected, and no edge. */
export function selectOnly(graph: Graph, ids: string[]): Graph {
  const wanted = new Set(ids);
  return {
    nodes: graph.nodes.map((n) => (Boolean(n.selected) === wanted.has(n.id) ? n : { ...n, selected: wanted.has(n.id) })),
    edges: graph.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
  };
}

/** Exactly this edge selected, and no node. */
export function selectEdge(graph: Graph, id: string): Graph {
  return {
    nodes: withoutSelection(graph.nodes),
    edges: graph.edges.map((e) => (Boolean(e.selected) === (e.id === id) ? e : { ...e, selected: e.id === id })),
  };
}

/** Every node selected (edges as they were). */
export function selectAll(graph: Graph): Pick<Graph, "nodes"> {
  return { nodes: graph.nodes.map((n) => (n.selected ? n : { ...n, selected: true })) };
}
