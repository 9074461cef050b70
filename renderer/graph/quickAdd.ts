import type { XYPosition } from "@xyflow/react";
import type { NodeKind } from "../api/types.js";
import { copySelection, paste } from "./clipboard.js";
import { addNode, connect, removeEdges } from "./edits.js";
import { makeEdge, pathOf, type Graph } from "./model.js";
import { selectOnly } from "./selection.js";

/** What the quick-add picker, the context menus and their edits add: a node and what to wire it to. */
export interface NewNode {
  kind: NodeKind;
  op: string | null;
  position: XYPosition;
  params: Record<string, unknown>;
}

/** A node added and the result: its id, the change, and why its wire was refused (null: wired). */
export interface Added {
  id: string;
  change: Graph;
  refused: string | null;
}

/** The node added, then wired as `ends` says; a refused wire (connectionRefusal) leaves it unwired, with the reason. */
function addWired(graph: Graph, node: NewNode, ends: (id: string) => { source: string; target: string; handle: string | null }): Added {
  const added = addNode(graph, node.kind, node.op, node.position, node.params);
  const withNode: Graph = { nodes: added.change.nodes, edges: graph.edges };
  const { source, target, handle } = ends(added.id);
  const wired = connect(withNode, source, target, handle);
  if (wired === null || "refused" in wired) return { id: added.id, change: withNode, refused: wired?.refused ?? null };
  return { id: added.id, change: { nodes: withNode.nodes, edges: wired.edges }, refused: null };
}

/** A new node wired from `from` (a wire dragged out of an output and dropped in empty space): one edit. */
export const addAfter = (graph: Graph, node: NewNode, from: string, fromHandle: string | null): Added =>
  addWired(graph, node, (id) => ({ source: from, target: id, handle: fromHandle }));

/** A new node feeding `to` (a wire dragged out of an input and dropped in empty space): one edit. */
export const addBefore = (graph: Graph, node: NewNode, to: string): Added =>
  addWired(graph, node, (id) => ({ source: id, target: to, handle: null }));

/**
 * A new node put on a wire: `a → b` becomes `a → new → b` (out of a route, on the same path), one
 * edit; refused with the reason when the node cannot sit between them (a source takes no input, the sink has no output).
 */
export function insertOnEdge(graph: Graph, edgeId: string, node: NewNode): { id: string; change: Graph } | { refused: string } {
  const edge = graph.edges.find((e) => e.id === edgeId);
  if (!edge) return { refused: `no wire ${edgeId}` };
  if (node.kind === "source") return { refused: "a source takes no input, so it cannot sit on a wire" };
  if (node.kind === "sink") return { refused: "the sink has no output, so it cannot sit on a wire" };
  const added = addNode(graph, node.kind, node.op, node.position, node.params);
  const path = pathOf(edge);
  const edges = [
    ...removeEdges(graph, new Set([edgeId])).edges,
    makeEdge(edge.source, added.id, path),
    // A route put on a wire starts its path 0 there.
    makeEdge(added.id, edge.target, node.kind === "route" ? 0 : undefined),
  ];
  return { id: added.id, change: { nodes: added.change.nodes, edges } };
}

/** Where the op picker puts its op: a free spot, after an output or before an input a wire was dragged from, or on a wire. */
export type AddPurpose =
  | { kind: "add" }
  | { kind: "after"; from: string; fromHandle: string | null }
  | { kind: "before"; to: string }
  | { kind: "onEdge"; edgeId: string };

/**
 * Why adding `node` as `purpose` asks would leave it unwired (or, on a wire, not add it), or null
 * when it would connect: the very edit the pick makes, tried on the graph (nothing changes), so
 * the picker marks in advance exactly what the pick would refuse.
 */
export function addRefusal(graph: Graph, purpose: AddPurpose, node: NewNode): string | null {
  switch (purpose.kind) {
    case "add":
      return null;
    case "after":
      return addAfter(graph, node, purpose.from, purpose.fromHandle).refused;
    case "before":
      return addBefore(graph, node, purpose.to).refused;
    case "onEdge": {
      const inserted = insertOnEdge(graph, purpose.edgeId, node);
      return "refused" in inserted ? inserted.refused : null;
    }
  }
}

/** Every wire into or out of the node removed; null when it has none. */
export function disconnectAll(graph: Graph, id: string): Pick<Graph, "edges"> | null {
  const edges = graph.edges.filter((e) => e.source !== id && e.target !== id);
  return edges.length === graph.edges.length ? null : { edges };
}

/** Copies of the nodes (renamed, offset, the only ones selected) with the wires between them; the clipboard stays as it was. */
export function duplicate(graph: Graph, ids: string[]): Graph | null {
  const copied = copySelection(selectOnly(graph, ids));
  return copied ? paste(graph, copied).change : null;
}
