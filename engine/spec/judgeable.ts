/**
 * For a file the schema refused, the parts the other checks can still judge: validate lists
 * every problem at once, not the schema's alone. A field wrong elsewhere in a node (its
 * concurrency, its position) does not stop its op or the graph from being checked.
 */

import { z } from "zod";
import { edgeSchema, nodeFields, type PipelineEdge, type PipelineNode } from "./schema.js";

/** What the graph rules read of a node. */
export type GraphNode = Pick<PipelineNode, "id" | "kind">;
/** What the op and param checks read of a node. */
export type OpNode = Pick<PipelineNode, "id" | "kind" | "op" | "params" | "runOn">;

export interface GraphShape {
  nodes: readonly GraphNode[];
  edges: readonly PipelineEdge[];
}

const graphNodeSchema = z.object({ id: nodeFields.id, kind: nodeFields.kind });
// A node whose id is unreadable still has its op checked; its problems then name no node.
const opNodeSchema = z.object({
  id: z.string().catch(""),
  kind: nodeFields.kind,
  op: nodeFields.op,
  params: nodeFields.params,
  runOn: nodeFields.runOn,
});

/** The graph when every node's id and kind and every edge are readable: its rules need them all. */
export function judgeableGraph(file: Record<string, unknown>): GraphShape | undefined {
  const { nodes, edges = [] } = file;
  if (!Array.isArray(nodes) || !Array.isArray(edges)) return undefined;
  const graphNodes: GraphNode[] = [];
  for (const node of nodes) {
    const parsed = graphNodeSchema.safeParse(node);
    if (!parsed.success) return undefined;
    graphNodes.push(parsed.data);
  }
  const graphEdges: PipelineEdge[] = [];
  for (const edge of edges) {
    const parsed = edgeSchema.safeParse(edge);
    if (!parsed.success) return undefined;
    graphEdges.push(parsed.data);
  }
  return { nodes: graphNodes, edges: graphEdges };
}

/** Each node's op fields, where they are readable (null where not, keeping node indices). */
export function judgeableOpNodes(file: Record<string, unknown>): (OpNode | null)[] {
  if (!Array.isArray(file.nodes)) return [];
  return file.nodes.map((node) => {
    const parsed = opNodeSchema.safeParse(node);
    return parsed.success ? parsed.data : null;
  });
}
