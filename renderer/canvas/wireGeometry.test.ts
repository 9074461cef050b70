import { getBezierPath, Position, type InternalNode } from "@xyflow/react";
import { describe, expect, it } from "vitest";
import type { CanvasNode, StudioEdge } from "../graph/model.js";
import { wirePath } from "./wireGeometry.js";

/** A measured node at (x, y): an input handle on its left, the named output handles on its right. */
function measured(id: string, x: number, y: number, outputs: (string | null)[] = [null]): InternalNode<CanvasNode> {
  const handle = (handleId: string | null, position: Position, top: number) => ({
    id: handleId,
    nodeId: id,
    type: position === Position.Left ? ("target" as const) : ("source" as const),
    position,
    x: position === Position.Left ? -4 : 196,
    y: top,
    width: 8,
    height: 8,
  });
  return {
    id,
    type: "stage",
    position: { x, y },
    data: {},
    measured: { width: 200, height: 60 },
    internals: {
      positionAbsolute: { x, y },
      z: 0,
      userNode: {} as CanvasNode,
      handleBounds: {
        target: [handle(null, Position.Left, 26)],
        source: outputs.map((name, i) => handle(name, Position.Right, 10 + i * 20)),
      },
    },
  } as unknown as InternalNode<CanvasNode>;
}

const edge = (source: string, target: string, sourceHandle: string | null = null): StudioEdge => ({
  id: `${source}->${target}`,
  source,
  target,
  sourceHandle,
});

describe("wirePath", () => {
  it("runs from the middle of the source handle's right side to the middle of the target handle's left side, as React Flow's bezier", () => {
    const from = measured("a", 0, 0);
    const to = measured("b", 400, 100);
    const [expected] = getBezierPath({
      sourceX: 204,
      sourceY: 14,
      sourcePosition: Position.Right,
      targetX: 396,
      targetY: 130,
      targetPosition: Position.Left,
    });
    expect(wirePath(edge("a", "b"), from, to)).toBe(expected);
  });

  it("starts at the output handle the wire names (a route's path)", () => {
    const route = measured("r", 0, 0, ["path-0", "path-1"]);
    const to = measured("b", 400, 0);
    expect(wirePath(edge("r", "b", "path-1"), route, to)).toMatch(/^M204,34 /);
    expect(wirePath(edge("r", "b", "path-0"), route, to)).toMatch(/^M204,14 /);
  });

  it("draws nothing while a node or the handle named is not measured yet", () => {
    const from = measured("a", 0, 0);
    expect(wirePath(edge("a", "b"), from, undefined)).toBe("");
    expect(wirePath(edge("a", "b", "path-3"), from, measured("b", 400, 0))).toBe("");
    const unmeasured = { ...from, internals: { ...from.internals, handleBounds: undefined } };
    expect(wirePath(edge("a", "b"), unmeasured, measured("b", 400, 0))).toBe("");
  });
});
