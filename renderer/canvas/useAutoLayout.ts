import { useStoreApi } from "@xyflow/react";
import { useCallback } from "react";
import type { XYPosition } from "@xyflow/react";
import { onGrid } from "../store/canvasSettings.js";
import { useDocument } from "../store/document.js";
import { useFitGraph } from "./fitGraph.js";
import { fitViewOptions } from "./fitView.js";

/**
 * Positions for the graph from elkjs (a long one wrapped into rows shaped like the canvas). `mode` "edit":
 * one undo step (Auto-layout); "open": a file without positions is laid out as it opens, no
 * undo step and no unsaved change (nothing the user did).
 */
export function useAutoLayout(): (mode?: "edit" | "open") => Promise<void> {
  const fitGraph = useFitGraph();
  const store = useStoreApi();
  return useCallback(
    async (mode: "edit" | "open" = "edit") => {
      const { nodes, edges, setPositions, placeNodes } = useDocument.getState();
      if (nodes.length === 0) return;
      const { width, height } = store.getState();
      // elkjs is large: loaded on first use, so start-up stays quick.
      const { layeredLayout } = await import("./layout.js");
      const laidOut: Record<string, XYPosition> = await layeredLayout(nodes, edges, { width, height });
      // With snapping on, the layout lands on the grid as a dragged node does.
      const positions = Object.fromEntries(Object.entries(laidOut).map(([id, at]) => [id, onGrid(at)]));
      if (mode === "open") placeNodes(positions);
      else setPositions(positions);
      requestAnimationFrame(() => void fitGraph({ ...fitViewOptions(nodes.length), duration: mode === "open" ? 0 : 300 }));
    },
    [fitGraph, store],
  );
}
