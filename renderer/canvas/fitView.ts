import type { FitViewOptions } from "@xyflow/react";
import type { StudioNode } from "../graph/model.js";

/** Far enough out for a 200-stage graph to fit a window. */
export const MIN_ZOOM = 0.05;

/** Below this zoom nodes draw compact (name, utilisation, queue fill): level of detail. */
export const COMPACT_BELOW_ZOOM = 0.45;

/** The minimap's size on the canvas (bottom right). */
export const MINIMAP_SIZE = { width: 160, height: 100 };

/**
 * A graph this small is seen whole on the canvas: it has no minimap (nothing to find), and is
 * fitted at a readable zoom, never the compact level of detail.
 */
export const SMALL_GRAPH_NODES = 12;

export function isSmallGraph(nodeCount: number): boolean {
  return nodeCount <= SMALL_GRAPH_NODES;
}

/** Room for the zoom controls (bottom left). */
const CONTROLS_ROOM = "56px";

/**
 * How a graph is fitted into view (on open, Auto-layout, the fit button): with room kept for the
 * zoom controls on the left and, on a big graph, the minimap on the right, so neither covers the
 * graph fitted. A small graph has no minimap, and prefers being readable to being whole: it is
 * fitted no further out than the compact level of detail (the rest is a pan away).
 */
export function fitViewOptions(nodeCount: number): FitViewOptions<StudioNode> {
  const small = isSmallGraph(nodeCount);
  return {
    padding: { top: "24px", bottom: "24px", left: CONTROLS_ROOM, right: small ? "24px" : `${MINIMAP_SIZE.width + 28}px` },
    minZoom: small ? COMPACT_BELOW_ZOOM : MIN_ZOOM,
    // A fitted small graph is shown at its own size at most, as the palette drops nodes at it.
    maxZoom: 1,
  };
}
