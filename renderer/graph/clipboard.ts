import type { XYPosition } from "@xyflow/react";
import { makeEdge, pathOf, uniqueId, type Graph, type NodeSpec, type StudioNode } from "./model.js";
import { withoutSelection } from "./selection.js";

/** A copied note: what the file keeps of it (a pasted one gets a new id). */
export interface ClipboardNote {
  text: string;
  position: XYPosition;
  size: { width: number; height: number };
}

/** Copied nodes and the edges between them, and copied notes. */
export interface Clipboard {
  nodes: { id: string; spec: NodeSpec; position: XYPosition }[];
  edges: { from: string; to: string; path?: number }[];
  notes?: ClipboardNote[];
}

/** Each paste lands this far from the one before (or from the nodes copied). */
const PASTE_OFFSET = { x: 40, y: 60 };

const offset = (p: XYPosition): XYPosition => ({ x: p.x + PASTE_OFFSET.x, y: p.y + PASTE_OFFSET.y });

/** The selected nodes and the edges between them; null when no node is selected. */
export function copySelection(graph: Graph): Clipboard | null {
  const selected = graph.nodes.filter((n) => n.selected);
  if (selected.length === 0) return null;
  const ids = new Set(selected.map((n) => n.id));
  return {
    nodes: selected.map((n) => ({ id: n.id, spec: structuredClone(n.data), position: { ...n.position } })),
    edges: graph.edges
      .filter((e) => ids.has(e.source) && ids.has(e.target))
      .map((e) => (pathOf(e) === undefined ? { from: e.source, to: e.target } : { from: e.source, to: e.target, path: pathOf(e) })),
  };
}

/**
 * The clipboard's nodes added (renamed where their ids are taken, offset, the only ones
 * selected) with their edges; and the clipboard moved along so that the next paste lands further on.
 */
export function paste(graph: Graph, clipboard: Clipboard): { change: Graph; notes: ClipboardNote[]; clipboard: Clipboard } {
  const taken = new Set(graph.nodes.map((n) => n.id));
  const renamed = new Map<string, string>();
  const added: StudioNode[] = clipboard.nodes.map((entry) => {
    const id = uniqueId(entry.id, taken);
    taken.add(id);
    renamed.set(entry.id, id);
    return { id, type: entry.spec.kind, position: offset(entry.position), data: structuredClone(entry.spec), selected: true };
  });
  const addedEdges = clipboard.edges.map((e) => makeEdge(renamed.get(e.from)!, renamed.get(e.to)!, e.path));
  // The notes move along with the nodes; the caller gives them ids (graph/annotations.ts).
  const notes = (clipboard.notes ?? []).map((note) => ({ ...note, position: offset(note.position) }));
  return {
    change: {
      nodes: [...withoutSelection(graph.nodes), ...added],
      edges: [...graph.edges, ...addedEdges],
    },
    notes,
    clipboard: { ...clipboard, nodes: clipboard.nodes.map((n) => ({ ...n, position: offset(n.position) })), notes },
  };
}
