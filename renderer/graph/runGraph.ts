import type { PipelineFile } from "../api/types.js";
import { edgeId, type Graph } from "./model.js";

/**
 * Whether the canvas draws the graph a run was started with, as far as the run's figures go: the
 * same nodes (id, kind, op) joined by the same edges. Knob values, params and positions may
 * differ (a run's knobs move; a page may hold unsaved tweaks of the same graph): each figure
 * still lands on the node it belongs to. Anything else is another graph, whose ids mean other nodes.
 */
export function drawsRunGraph(graph: Graph, spec: PipelineFile): boolean {
  if (graph.nodes.length !== spec.nodes.length || graph.edges.length !== spec.edges.length) return false;
  const drawn = new Map(graph.nodes.map((node) => [node.id, node.data]));
  const sameNodes = spec.nodes.every((node) => {
    const data = drawn.get(node.id);
    return data !== undefined && data.kind === node.kind && data.op === node.op;
  });
  const edges = new Set(graph.edges.map((edge) => edgeId(edge.source, edge.target)));
  return sameNodes && spec.edges.every((edge) => edges.has(edgeId(edge.from, edge.to)));
}
