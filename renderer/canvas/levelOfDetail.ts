import { useStore } from "@xyflow/react";
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
