import { getBezierPath, Position, type InternalNode } from "@xyflow/react";
import type { CanvasNode, StudioEdge } from "../graph/model.js";

/** Where a wire drawn outside React Flow runs: between its nodes' measured handles, as React Flow draws it. */

/** A measured handle: its box within its node and the side it is on. */
interface Handle {
  id?: string | null;
  x: number;
  y: number;
  width: number;
  height: number;
  position: Position;
}

/** The handle a wire ends at: the one it names, else the node's first of that kind (React Flow's rule). */
function handleOf(node: InternalNode<CanvasNode>, kind: "source" | "target", id: string | null | undefined): Handle | null {
  const handles = node.internals.handleBounds?.[kind];
  if (!handles || handles.length === 0) return null;
  return (id ? handles.find((handle) => handle.id === id) : handles[0]) ?? null;
}

/** Where on the canvas a handle's wire starts or ends: the middle of the handle's outer side. */
function handlePoint(node: InternalNode<CanvasNode>, handle: Handle): { x: number; y: number } {
  const x = node.internals.positionAbsolute.x + handle.x;
  const y = node.internals.positionAbsolute.y + handle.y;
  switch (handle.position) {
    case Position.Top:
      return { x: x + handle.width / 2, y };
    case Position.Right:
      return { x: x + handle.width, y: y + handle.height / 2 };
    case Position.Bottom:
      return { x: x + handle.width / 2, y: y + handle.height };
    default:
      return { x, y: y + handle.height / 2 };
  }
}

/** The wire's SVG path between its nodes' handles, or "" while either node or handle is unmeasured. */
export function wirePath(edge: StudioEdge, from: InternalNode<CanvasNode> | undefined, to: InternalNode<CanvasNode> | undefined): string {
  if (!from || !to) return "";
  const out = handleOf(from, "source", edge.sourceHandle);
  const into = handleOf(to, "target", edge.targetHandle);
  if (!out || !into) return "";
  const source = handlePoint(from, out);
  const target = handlePoint(to, into);
  const [path] = getBezierPath({
    sourceX: source.x,
    sourceY: source.y,
    sourcePosition: out.position,
    targetX: target.x,
    targetY: target.y,
    targetPosition: into.position,
  });
  return path;
}
