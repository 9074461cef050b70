import { useReactFlow } from "@xyflow/react";
import { useCallback } from "react";
import { useDocument } from "../store/document.js";

/** Lays the graph out left to right and fits it into view. */
export function useAutoLayout(): () => Promise<void> {
  const flow = useReactFlow();
  return useCallback(async () => {
    const { nodes, edges, setPositions } = useDocument.getState();
    if (nodes.length === 0) return;
    // elkjs is large: loaded on first use, so start-up stays quick.
    const { layeredLayout } = await import("./layout.js");
    const positions = await layeredLayout(nodes, edges);
    setPositions(positions);
    requestAnimationFrame(() => void flow.fitView({ padding: 0.2, duration: 300 }));
  }, [flow]);
}
