import { useStoreApi } from "@xyflow/react";
import { useEffect } from "react";
import { useDocument } from "../store/document.js";
import { compactOn, compactScene } from "./CompactLayer.js";
import { nodesInside } from "./compactGeometry.js";

/**
 * From afar, a box drawn with Shift selects the nodes the compact layer draws inside it, as React
 * Flow selects its own: React Flow holds only the nodes pointed at or selected, so its box finds
 * those alone. The selection follows the box as it is drawn (a node taken in is drawn by React
 * Flow from then on, and React Flow's box keeps it).
 */
export function useCompactBoxSelection(): void {
  const flowStore = useStoreApi();
  useEffect(() => {
    let last = "";
    return flowStore.subscribe((state, previous) => {
      const box = state.userSelectionRect;
      if (!state.userSelectionActive || !box || box === previous.userSelectionRect || !compactOn()) {
        if (!state.userSelectionActive) last = "";
        return;
      }
      const [x, y, zoom] = state.transform;
      const rect = { x: (box.x - x) / zoom, y: (box.y - y) / zoom, width: box.width / zoom, height: box.height / zoom };
      const ids = nodesInside(compactScene().scene.nodes, rect);
      const key = ids.join("\n");
      if (key === last) return;
      last = key;
      useDocument.getState().selectNodes(ids);
    });
  }, [flowStore]);
}
