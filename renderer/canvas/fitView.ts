import type { FitViewOptions } from "@xyflow/react";
import type { StudioNode } from "../graph/model.js";

/** Far enough out for a 200-stage graph to fit a window. */
export const MIN_ZOOM = 0.05;

/** The minimap's size on the canvas (bottom right). */
export const MINIMAP_SIZE = { width: 160, height: 100 };

/**
 * How a graph is fitted into view (on open, Auto-layout, the fit button): with room kept for the
 * zoom controls on the left and the minimap on the right, so neither covers the graph fitted.
 */
export const FIT_VIEW: FitViewOptions<StudioNode> = {
  padding: { top: "24px", bottom: "24px", left: "56px", right: `${MINIMAP_SIZE.width + 28}px` },
  minZoom: MIN_ZOOM,
  maxZoom: 1.2,
};
