import type { XYPosition } from "@xyflow/react";

/** How far a menu or picker keeps from the window's edges. */
const MARGIN = 8;

/**
 * Where a menu or picker of `size` opened at `at` goes so that it stays inside the window: at the
 * point, flipped to the left of it or above it near the right or bottom edge, and never off the
 * top-left (a box larger than the window is pinned to the margin).
 */
export function placeFloating(
  at: XYPosition,
  size: { width: number; height: number },
  viewport: { width: number; height: number },
): XYPosition {
  const fitsRight = at.x + size.width + MARGIN <= viewport.width;
  const fitsBelow = at.y + size.height + MARGIN <= viewport.height;
  const x = fitsRight ? at.x : Math.min(at.x - size.width, viewport.width - size.width - MARGIN);
  const y = fitsBelow ? at.y : Math.min(at.y - size.height, viewport.height - size.height - MARGIN);
  return { x: Math.max(MARGIN, x), y: Math.max(MARGIN, y) };
}
