import type { NodeKind } from "../api/types.js";

/** The data type of a drag from the palette onto the canvas. */
export const DRAG_MIME = "application/x-pipeline-studio-op";

/** What the palette puts on a drag: the node to add. */
export interface PaletteDrag {
  kind: NodeKind;
  op: string | null;
  params: Record<string, unknown>;
}
