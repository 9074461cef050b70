import { getViewportForBounds, useReactFlow, useStoreApi, type FitViewOptions, type Rect } from "@xyflow/react";
import { useCallback } from "react";
import { isGroupId, isNoteId, sizeOf } from "../graph/annotations.js";
import type { CanvasNode, StudioEdge, StudioNode } from "../graph/model.js";
import { useDocument } from "../store/document.js";
import { compactBox } from "./compactGeometry.js";
import { placedNode } from "./compactScene.js";
import { COMPACT_BELOW_ZOOM } from "./fitView.js";

/** Where `node` is drawn: full size or, from afar, compact (notes and groups are never compact). */
export function nodeBox(node: CanvasNode, compact: boolean, edges: StudioEdge[]): Rect {
  const pipelineNode = !isNoteId(node.id) && !isGroupId(node.id);
  if (compact && pipelineNode) return compactBox(placedNode(node as StudioNode, edges));
  return { ...node.position, ...sizeOf(node) };
}

/** The bounds of `nodes` drawn full size or, from afar, compact. */
export function boundsOf(nodes: readonly CanvasNode[], compact: boolean, edges: StudioEdge[]): Rect {
  let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const node of nodes) {
    const rect = nodeBox(node, compact, edges);
    left = Math.min(left, rect.x);
    top = Math.min(top, rect.y);
    right = Math.max(right, rect.x + rect.width);
    bottom = Math.max(bottom, rect.y + rect.height);
  }
  return nodes.length === 0 ? { x: 0, y: 0, width: 0, height: 0 } : { x: left, y: top, width: right - left, height: bottom - top };
}

export type FitOptions = Pick<FitViewOptions, "padding" | "minZoom" | "maxZoom" | "duration"> & {
  /** The nodes to fit (canvas ids); every node, note and group when left out. */
  ids?: readonly string[];
};

/**
 * Fits nodes into view from the document's positions, not React Flow's: from afar React Flow
 * holds only the nodes pointed at or selected (the rest are drawn by the compact layer), so its
 * own fitView would fit those alone. A fit that lands below the compact zoom is worked out
 * again with the nodes' compact sizes, the sizes they are then drawn at.
 */
export function useFitGraph(): (options: FitOptions) => Promise<boolean> {
  const flow = useReactFlow();
  const store = useStoreApi();
  return useCallback(
    async (options: FitOptions) => {
      const { nodes, notes, groups, edges } = useDocument.getState();
      const all: CanvasNode[] = [...groups, ...nodes, ...notes];
      const wanted = options.ids ? new Set(options.ids) : null;
      const fitted = wanted ? all.filter((node) => wanted.has(node.id)) : all;
      if (fitted.length === 0) return false;
      const { width, height, minZoom, maxZoom } = store.getState();
      const least = options.minZoom ?? minZoom;
      const most = options.maxZoom ?? maxZoom;
      const padding = options.padding ?? 0.1;
      let viewport = getViewportForBounds(boundsOf(fitted, false, edges), width, height, least, most, padding);
      if (viewport.zoom < COMPACT_BELOW_ZOOM) {
        viewport = getViewportForBounds(boundsOf(fitted, true, edges), width, height, least, most, padding);
      }
      return flow.setViewport(viewport, options.duration ? { duration: options.duration } : undefined);
    },
    [flow, store],
  );
}
