import type { XYPosition } from "@xyflow/react";
import { create } from "zustand";
import type { AddPurpose } from "../graph/quickAdd.js";

/** A point on the screen (client coordinates) and the same point on the canvas (flow coordinates). */
export interface CanvasPoint {
  screen: XYPosition;
  flow: XYPosition;
}

export type MenuTarget = { kind: "node"; id: string } | { kind: "edge"; id: string } | { kind: "pane" };

/**
 * What floats over the canvas: the quick-add op picker, a context menu, the graph search. One
 * picker or menu at a time; opening one closes the other.
 */
interface CanvasOverlayState {
  picker: (CanvasPoint & { purpose: AddPurpose }) | null;
  menu: (CanvasPoint & { target: MenuTarget }) | null;
  search: boolean;
}

export const useCanvasOverlay = create<CanvasOverlayState>()(() => ({ picker: null, menu: null, search: false }));

export function openPicker(at: CanvasPoint, purpose: AddPurpose): void {
  useCanvasOverlay.setState({ picker: { ...at, purpose }, menu: null });
}

export function openMenu(at: CanvasPoint, target: MenuTarget): void {
  useCanvasOverlay.setState({ menu: { ...at, target }, picker: null });
}

export function closeOverlays(): void {
  useCanvasOverlay.setState({ picker: null, menu: null });
}

export function setSearchOpen(search: boolean): void {
  useCanvasOverlay.setState({ search });
}
