import { useStore } from "@xyflow/react";
import { COMPACT_BELOW_ZOOM } from "./fitView.js";

/**
 * Below COMPACT_BELOW_ZOOM the canvas draws only what still reads from afar (level of detail): a
 * node its name, how busy its slots are and how full its input queue is; a queue its wire alone
 * (its fill is on the node it feeds), so a big graph's labels and sparklines are not redrawn at
 * every snapshot where no one can read them. Each subscriber hears "below or not", so zooming
 * re-renders only when it crosses the line.
 */
export const useCompact = (): boolean => useStore((s) => s.transform[2] < COMPACT_BELOW_ZOOM);
