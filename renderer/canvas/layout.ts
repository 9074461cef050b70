import ELK from "elkjs/lib/elk.bundled.js";
import type { XYPosition } from "@xyflow/react";
import type { StudioEdge, StudioNode } from "../graph/model.js";

const elk = new ELK();

/** Layered layout, left to right (elkjs), from the nodes' measured sizes. */
export async function layeredLayout(nodes: StudioNode[], edges: StudioEdge[]): Promise<Record<string, XYPosition>> {
  const graph = await elk.layout({
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "RIGHT",
      "elk.spacing.nodeNode": "50",
      "elk.layered.spacing.nodeNodeBetweenLayers": "110",
      "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
    },
    children: nodes.map((n) => ({ id: n.id, width: n.measured?.width ?? 220, height: n.measured?.height ?? 120 })),
    edges: edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  const positions: Record<string, XYPosition> = {};
  for (const child of graph.children ?? []) positions[child.id] = { x: child.x ?? 0, y: child.y ?? 0 };
  return positions;
}
