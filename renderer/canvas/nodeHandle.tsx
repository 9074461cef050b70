import { Handle, Position, useStore } from "@xyflow/react";
import { createContext, useContext } from "react";

/**
 * A node's input or output handle. From afar (compact) a handle shows only on the node pointed at
 * or selected; elsewhere the node draws a stand-in: a plain element with the classes and data
 * attributes of React Flow's Handle, which React Flow measures for where wires attach and checks
 * when a wire is let go near it, as it does its own. A Handle subscribes to React Flow's store
 * twice, and a 200-stage graph's 400 of them ran 800 selectors at every move of a dragged node
 * (0.5 ms of the move's store update, and as much again of React's work).
 */

/** React Flow's id for this canvas, which a handle's `data-id` carries (its store's `rfId`). */
export const FlowIdContext = createContext("1");

/** In the canvas (inside React Flow's provider): React Flow's id, read once for every stand-in. */
export const useFlowId = (): string => useStore((s) => s.rfId);

interface NodeHandleProps {
  nodeId: string;
  type: "source" | "target";
  /** False: the stand-in (a compact node neither pointed at nor selected). */
  live: boolean;
  testId: string;
}

export function NodeHandle({ nodeId, type, live, testId }: NodeHandleProps) {
  const flowId = useContext(FlowIdContext);
  const position = type === "target" ? Position.Left : Position.Right;
  if (live) return <Handle type={type} position={position} className="studio-handle" data-testid={testId} />;
  // As React Flow's Handle draws itself without an id (a node's one input or output).
  return (
    <div
      className={`react-flow__handle react-flow__handle-${position} nodrag nopan studio-handle handle-stand-in ${type} connectable connectablestart connectableend`}
      data-nodeid={nodeId}
      data-handlepos={position}
      data-id={`${flowId}-${nodeId}-null-${type}`}
      data-testid={testId}
    />
  );
}
