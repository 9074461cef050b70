import { openMenu, type CanvasPoint } from "../store/canvasOverlay.js";
import { useDocument } from "../store/document.js";

/** A point on the screen as a point of the canvas, read from the view's transform (pan and zoom). */
function toFlow(screen: { x: number; y: number }): { x: number; y: number } | null {
  const pane = document.querySelector(".react-flow__pane")?.getBoundingClientRect();
  const viewport = document.querySelector(".react-flow__viewport");
  if (!pane || !viewport) return null;
  const view = new DOMMatrixReadOnly(getComputedStyle(viewport).transform);
  return { x: (screen.x - pane.left - view.e) / view.a, y: (screen.y - pane.top - view.f) / view.d };
}

/**
 * The context menu opened from the keyboard (the Menu key or Shift-F10), as a right-click would:
 * on the selected node, at its middle, or else on the canvas, at its middle.
 */
export function openMenuFromKeyboard(): boolean {
  const selected = useDocument.getState().nodes.find((node) => node.selected);
  const element = selected ? document.querySelector(`.react-flow__node[data-id="${CSS.escape(selected.id)}"]`) : null;
  if (selected && element) {
    const box = element.getBoundingClientRect();
    const point: CanvasPoint = { screen: { x: box.left + box.width / 2, y: box.top + box.height / 2 }, flow: selected.position };
    openMenu(point, { kind: "node", id: selected.id });
    return true;
  }
  const pane = document.querySelector(".react-flow__pane")?.getBoundingClientRect();
  if (!pane) return false;
  const screen = { x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 };
  const flow = toFlow(screen);
  if (!flow) return false;
  openMenu({ screen, flow }, { kind: "pane" });
  return true;
}
