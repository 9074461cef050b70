import type { XYPosition } from "@xyflow/react";

/**
 * Where the canvas's visible middle lies in flow coordinates, for commands started outside the
 * canvas (a shortcut adding a note). The canvas registers its reader while it is on show.
 */
let reader: (() => XYPosition) | null = null;

export function registerViewCentre(read: (() => XYPosition) | null): void {
  reader = read;
}

export function viewCentre(): XYPosition {
  return reader?.() ?? { x: 0, y: 0 };
}
