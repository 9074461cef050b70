import ELK from "elkjs/lib/elk.bundled.js";
import type { ElkNode } from "elkjs/lib/elk-api.js";
import type { XYPosition } from "@xyflow/react";
import type { StudioEdge, StudioNode } from "../graph/model.js";

const elk = new ELK();

/** Below this zoom a one-row layout no longer reads when fitted: the chain wraps into rows instead. */
const READABLE_ZOOM = 0.6;

const LAYERED = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.spacing.nodeNode": "50",
  "elk.layered.spacing.nodeNodeBetweenLayers": "110",
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
};

/**
 * Layered layout, left to right (elkjs), from the nodes' measured sizes. A graph too long to read
 * on one row in a canvas of `canvas` pixels wraps into rows shaped like the canvas: a 50-stage
 * pipeline fills the window rather than a thin line across it; a short one stays on one row.
 */
export async function layeredLayout(
  nodes: StudioNode[],
  edges: StudioEdge[],
  canvas: { width: number; height: number },
): Promise<Record<string, XYPosition>> {
  const graph: ElkNode = {
    id: "root",
    children: nodes.map((n) => ({ id: n.id, width: n.measured?.width ?? 220, height: n.measured?.height ?? 120 })),
    edges: edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
  let laid: ElkNode = await elk.layout({ ...graph, layoutOptions: LAYERED });
  if ((laid.width ?? 0) * READABLE_ZOOM > canvas.width) {
    const aspectRatio = canvas.width > 0 && canvas.height > 0 ? canvas.width / canvas.height : 1.6;
    laid = await elk.layout({
      ...graph,
      layoutOptions: { ...LAYERED, "elk.layered.wrapping.strategy": "MULTI_EDGE", "elk.aspectRatio": String(aspectRatio) },
    });
  }
  const positions: Record<string, XYPosition> = {};
  for (const child of laid.children ?? []) positions[child.id] = { x: child.x ?? 0, y: child.y ?? 0 };
  return positions;
}
