import { useStore, type Edge, type Node } from "@xyflow/react";
import { createContext, useContext } from "react";
import { COMPACT_BELOW_ZOOM } from "./fitView.js";

/**
 * Below COMPACT_BELOW_ZOOM the canvas draws only what still reads from afar (level of detail): a
 * node its name, how busy its slots are and how full its input queue is; a queue its wire alone
 * (its fill is on the node it feeds), so a big graph's labels and sparklines are not redrawn at
 * every snapshot where no one can read them.
 *
 * The canvas hears "below or not" from React Flow's store once (useCompactZoom) and hands it down
 * in a context: a store subscription in each node and wire was hundreds of selectors run at every
 * move of a dragged node, and zooming re-renders them only when it crosses the line either way.
 */
export const CompactContext = createContext(false);

/** In the canvas (inside React Flow's provider): whether the zoom is below the compact line. */
export const useCompactZoom = (): boolean => useStore((s) => s.transform[2] < COMPACT_BELOW_ZOOM);

/** In a node or a wire: whether to draw it compact. */
export const useCompact = (): boolean => useContext(CompactContext);

/**
 * From afar, the nodes React Flow draws as DOM: the ones in `live` (the node pointed at, the one
 * a wire is being drawn from), the selected ones, any not yet measured (React Flow measures a node
 * once it draws it), and their neighbours, so every wire of theirs joins two of React Flow's nodes
 * and React Flow draws it (moving with a dragged node). The compact layer draws the rest of the
 * graph on a canvas under them, which then stays as it is while a node is dragged.
 */
export function reactFlowNodeIds(nodes: readonly Node[], edges: readonly Edge[], live: readonly (string | null)[]): Set<string> {
  const kept = new Set<string>();
  for (const node of nodes) if (node.selected || live.includes(node.id) || !node.measured) kept.add(node.id);
  const ids = new Set(kept);
  for (const edge of edges) {
    if (kept.has(edge.source)) ids.add(edge.target);
    if (kept.has(edge.target)) ids.add(edge.source);
  }
  return ids;
}

/** Whether React Flow draws `edge` from afar: both its ends are React Flow's nodes. */
export const drawnByReactFlow = (edge: Edge, ids: ReadonlySet<string>): boolean => ids.has(edge.source) && ids.has(edge.target);
