import { getBezierPath, Position, type Rect, type XYPosition } from "@xyflow/react";

/**
 * Where things are on a compact node (level of detail), in flow units. The compact layer draws
 * from these and the compact node's CSS (styles.css, `.studio-node--compact`) lays out to the same
 * figures, so a node handed to React Flow as DOM (pointed at, selected) covers its drawing exactly.
 */
export const COMPACT_HEIGHT = 108;
/** Borders: the top one in the kind's colour. */
export const COMPACT_BORDER_TOP = 4;
export const COMPACT_BORDER = 1.5;
export const COMPACT_PADDING_X = 12;
export const COMPACT_PADDING_TOP = 10;
export const COMPACT_NAME_FONT_PX = 30;
export const COMPACT_NAME_LINE = 36;
export const COMPACT_BAR_HEIGHT = 14;
export const COMPACT_BAR_GAP = 8;
/** Half a handle (16 px, centred on the node's side): React Flow starts and ends a wire at the handle's outer edge. */
export const HANDLE_REACH = 8;

/** A node's width by kind (the full nodes' widths, styles.css). */
export function compactWidth(kind: string): number {
  if (kind === "sink") return 130;
  if (kind === "source") return 150;
  return 188;
}

/** What the compact layer needs of a node to place it. */
export interface PlacedNode {
  id: string;
  kind: string;
  position: XYPosition;
  /** A route's output handles (its paths and the spare one), top to bottom. */
  routeHandles: number;
}

export function compactBox(node: PlacedNode): Rect {
  return { x: node.position.x, y: node.position.y, width: compactWidth(node.kind), height: COMPACT_HEIGHT };
}

/** The top of a compact node's bar `slot` (0 the first bar under the name), from the node's top. */
export function barTop(slot: number): number {
  return COMPACT_BORDER_TOP + COMPACT_PADDING_TOP + COMPACT_NAME_LINE + COMPACT_BAR_GAP + slot * (COMPACT_BAR_HEIGHT + COMPACT_BAR_GAP);
}

/** How many output handles a route draws for `paths` paths: one per path and a spare, two at least. */
export const routeHandleCount = (paths: number): number => Math.max(2, paths + 1);

/** Where a wire leaves `node` (its output, or a route's path `path`). */
export function outputPoint(node: PlacedNode, path: number | undefined): XYPosition {
  const box = compactBox(node);
  const fraction = node.kind === "route" && path !== undefined ? (path + 1) / (node.routeHandles + 1) : 0.5;
  return { x: box.x + box.width + HANDLE_REACH, y: box.y + box.height * fraction };
}

/** Where a wire enters `node`. */
export function inputPoint(node: PlacedNode): XYPosition {
  const box = compactBox(node);
  return { x: box.x - HANDLE_REACH, y: box.y + box.height / 2 };
}

/** The SVG path of a wire between two points, the same bezier React Flow draws. */
export function wirePath(from: XYPosition, to: XYPosition): string {
  const [path] = getBezierPath({
    sourceX: from.x,
    sourceY: from.y,
    sourcePosition: Position.Right,
    targetX: to.x,
    targetY: to.y,
    targetPosition: Position.Left,
  });
  return path;
}

const inside = (point: XYPosition, box: Rect): boolean =>
  point.x >= box.x && point.x <= box.x + box.width && point.y >= box.y && point.y <= box.y + box.height;

/** The node drawn at `point` (flow units): the last drawn on top, as on the screen. */
export function nodeAt(nodes: readonly PlacedNode[], point: XYPosition): string | null {
  for (let i = nodes.length - 1; i >= 0; i--) if (inside(point, compactBox(nodes[i]!))) return nodes[i]!.id;
  return null;
}

/** The nodes wholly inside `rect` (flow units), as a box selection takes them. */
export function nodesInside(nodes: readonly PlacedNode[], rect: Rect): string[] {
  const right = rect.x + rect.width;
  const bottom = rect.y + rect.height;
  return nodes
    .filter((node) => {
      const box = compactBox(node);
      return box.x >= rect.x && box.y >= rect.y && box.x + box.width <= right && box.y + box.height <= bottom;
    })
    .map((node) => node.id);
}

/** Whether two rectangles overlap. */
export const overlaps = (a: Rect, b: Rect): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
