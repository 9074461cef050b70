import type { Rect, XYPosition } from "@xyflow/react";
import {
  barTop,
  COMPACT_BAR_HEIGHT,
  COMPACT_BORDER,
  COMPACT_BORDER_TOP,
  COMPACT_NAME_FONT_PX,
  COMPACT_NAME_LINE,
  COMPACT_PADDING_TOP,
  COMPACT_PADDING_X,
  overlaps,
} from "./compactGeometry.js";
import type { CompactScene, SceneNode, SceneWire, WireColour } from "./compactScene.js";
import { KIND_COLOURS } from "./kindColours.js";

/** The colours the layer draws with, read from the page's CSS (light or dark). */
export interface CompactTheme {
  font: string;
  nodeBackground: string;
  failedBackground: string;
  border: string;
  text: string;
  barTrack: string;
  barLow: string;
  barMid: string;
  barHigh: string;
  red: string;
  green: string;
  accent: string;
  bottleneck: string;
  kind: Record<string, string>;
  wire: Record<WireColour, string>;
}

/** The viewport: React Flow's transform [x, y, zoom] and the canvas's size in CSS pixels. */
export interface CompactView {
  transform: readonly [number, number, number];
  width: number;
  height: number;
  pixelRatio: number;
}

const WIRE_WIDTH = 2;
const SELECTED_WIRE_WIDTH = 3.5;
const RADIUS = 8;
/** Below this many screen pixels a name is not legible: it is left out (its node's box and bars stay). */
const LEGIBLE_FONT_PX = 3;

/** Each wire's parsed shape, kept while its path is the same (a scene is rebuilt at every snapshot). */
const shapes = new Map<string, { path: string; shape: Path2D }>();
function wireShape(wire: SceneWire): Path2D {
  let cached = shapes.get(wire.id);
  if (cached?.path !== wire.path) {
    cached = { path: wire.path, shape: new Path2D(wire.path) };
    shapes.set(wire.id, cached);
  }
  return cached.shape;
}

/** A name cut to `width` with an ellipsis (measured once per name and width). */
const fitted = new Map<string, string>();
function fittedName(ctx: CanvasRenderingContext2D, name: string, width: number): string {
  const key = `${width}\u0000${name}`;
  let text = fitted.get(key);
  if (text === undefined) {
    text = name;
    if (ctx.measureText(text).width > width) {
      let keep = name.length;
      while (keep > 1 && ctx.measureText(`${name.slice(0, keep)}…`).width > width) keep--;
      text = `${name.slice(0, keep)}…`;
    }
    fitted.set(key, text);
  }
  return text;
}

const visibleArea = (view: CompactView): Rect => {
  const [x, y, zoom] = view.transform;
  return { x: -x / zoom, y: -y / zoom, width: view.width / zoom, height: view.height / zoom };
};

function barColour(theme: CompactTheme, percent: number): string {
  if (percent < 60) return theme.barLow;
  if (percent < 85) return theme.barMid;
  return theme.barHigh;
}

/** From a node's side to its content (border-box, as the DOM node). */
const INSET = COMPACT_BORDER + COMPACT_PADDING_X;

function paintBar(ctx: CanvasRenderingContext2D, theme: CompactTheme, node: SceneNode, slot: number, percent: number): void {
  const x = node.box.x + INSET;
  const y = node.box.y + barTop(slot);
  const width = node.box.width - 2 * INSET;
  ctx.fillStyle = theme.barTrack;
  ctx.fillRect(x, y, width, COMPACT_BAR_HEIGHT);
  if (percent > 0) {
    ctx.fillStyle = barColour(theme, percent);
    ctx.fillRect(x, y, (width * percent) / 100, COMPACT_BAR_HEIGHT);
  }
}

function paintNode(ctx: CanvasRenderingContext2D, theme: CompactTheme, node: SceneNode, names: boolean): void {
  const { x, y, width, height } = node.box;
  ctx.globalAlpha = node.wire === "refused" ? 0.45 : 1;
  ctx.beginPath();
  ctx.roundRect(x, y, width, height, RADIUS);
  ctx.fillStyle = node.failed ? theme.failedBackground : theme.nodeBackground;
  ctx.fill();
  if (node.bottleneck) {
    ctx.setLineDash([6, 4]);
    ctx.lineWidth = 2;
    ctx.strokeStyle = theme.bottleneck;
  } else {
    ctx.lineWidth = COMPACT_BORDER;
    ctx.strokeStyle = node.problem || node.failed || node.wire === "refused" ? theme.red : theme.border;
  }
  ctx.stroke();
  ctx.setLineDash([]);
  // The kind's colour along the top, as the full node's top border.
  ctx.fillStyle = theme.kind[node.kind] ?? theme.kind.stage!;
  ctx.beginPath();
  ctx.roundRect(x, y, width, COMPACT_BORDER_TOP, [RADIUS, RADIUS, 0, 0]);
  ctx.fill();
  if (names) {
    ctx.fillStyle = theme.text;
    ctx.fillText(
      fittedName(ctx, node.id, width - 2 * INSET),
      x + INSET,
      y + COMPACT_BORDER_TOP + COMPACT_PADDING_TOP + COMPACT_NAME_LINE / 2,
    );
  }
  let slot = 0;
  if (node.busy !== null) paintBar(ctx, theme, node, slot++, node.busy);
  if (node.fill !== null) paintBar(ctx, theme, node, slot, node.fill);
  if (node.wire === "valid") {
    ctx.lineWidth = 2;
    ctx.strokeStyle = theme.green;
    ctx.beginPath();
    ctx.roundRect(x - 4, y - 4, width + 8, height + 8, RADIUS + 4);
    ctx.stroke();
  }
  if (node.problem) {
    ctx.fillStyle = theme.red;
    ctx.beginPath();
    ctx.arc(x + width - 2, y + 2, 10, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.globalAlpha = 1;
}

/** Sets the viewport's transform: flow units from here on. */
function toFlowUnits(ctx: CanvasRenderingContext2D, view: CompactView): void {
  const [tx, ty, zoom] = view.transform;
  const ratio = view.pixelRatio;
  ctx.setTransform(zoom * ratio, 0, 0, zoom * ratio, tx * ratio, ty * ratio);
}

/** Clears the canvas, then flow units. */
function begin(ctx: CanvasRenderingContext2D, view: CompactView): void {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, view.width * view.pixelRatio, view.height * view.pixelRatio);
  toFlowUnits(ctx, view);
}

/** Draws the wires React Flow does not (the layer's lower canvas), those of one colour as one stroke. */
export function paintWires(ctx: CanvasRenderingContext2D, scene: CompactScene, view: CompactView, theme: CompactTheme): void {
  begin(ctx, view);
  const byStyle = new Map<string, { width: number; colour: string; shape: Path2D }>();
  for (const wire of scene.wires) {
    if (wire.dom) continue;
    const width = wire.selected ? SELECTED_WIRE_WIDTH : WIRE_WIDTH;
    const colour = wire.selected ? theme.accent : theme.wire[wire.colour];
    const key = `${width} ${colour}`;
    let style = byStyle.get(key);
    if (!style) byStyle.set(key, (style = { width, colour, shape: new Path2D() }));
    style.shape.addPath(wireShape(wire));
  }
  for (const { width, colour, shape } of byStyle.values()) {
    ctx.lineWidth = width;
    ctx.strokeStyle = colour;
    ctx.stroke(shape);
  }
}

/** Draws the nodes React Flow does not (the layer's upper canvas); only those on screen, names too small to read left out. */
export function paintNodes(ctx: CanvasRenderingContext2D, scene: CompactScene, view: CompactView, theme: CompactTheme): void {
  begin(ctx, view);
  const names = COMPACT_NAME_FONT_PX * view.transform[2] >= LEGIBLE_FONT_PX;
  ctx.font = theme.font;
  ctx.textBaseline = "middle";
  const area = visibleArea(view);
  for (const node of scene.nodes) if (!node.dom && overlaps(node.box, area)) paintNode(ctx, theme, node, names);
}

/**
 * Draws again only the bars of `nodes` (a snapshot that moved bars and nothing else): a bar is
 * opaque over its node's opaque background, so drawing it anew covers what it showed before.
 * (Not while a wire is dragged: refused nodes are drawn faded, and their bars would not cover.)
 */
export function paintBars(ctx: CanvasRenderingContext2D, nodes: readonly SceneNode[], view: CompactView, theme: CompactTheme): void {
  toFlowUnits(ctx, view);
  const area = visibleArea(view);
  for (const node of nodes) {
    if (node.dom || !overlaps(node.box, area)) continue;
    let slot = 0;
    if (node.busy !== null) paintBar(ctx, theme, node, slot++, node.busy);
    if (node.fill !== null) paintBar(ctx, theme, node, slot, node.fill);
  }
}

/**
 * The wire within `tolerance` screen pixels of `point` (flow units), the topmost first, or null.
 * Asks the canvas itself whether the point is on the wire's stroke widened to the tolerance.
 */
export function wireAt(
  ctx: CanvasRenderingContext2D,
  scene: CompactScene,
  point: XYPosition,
  zoom: number,
  tolerance: number,
): string | null {
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.lineWidth = (2 * tolerance) / zoom;
  let found: string | null = null;
  for (let i = scene.wires.length - 1; i >= 0 && found === null; i--) {
    const wire = scene.wires[i]!;
    if (!wire.dom && ctx.isPointInStroke(wireShape(wire), point.x, point.y)) found = wire.id;
  }
  ctx.restore();
  return found;
}

/** The layer's colours from the CSS custom properties in force on `element`. */
export function readTheme(element: Element): CompactTheme {
  const style = getComputedStyle(element);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const green = v("--green", "#2f9e6e");
  const amber = v("--amber", "#d99a1e");
  const red = v("--red", "#d64545");
  const wire: Record<string, string> = { idle: v("--xy-edge-stroke-default", "#b1b1b7"), green, amber, red };
  for (let path = 0; path < 6; path++) wire[`path-${path}`] = v(`--path-${path}`, "#3b7dd8");
  return {
    font: `700 ${COMPACT_NAME_FONT_PX}px ${style.fontFamily || "sans-serif"}`,
    nodeBackground: v("--panel", "#ffffff"),
    failedBackground: v("--compact-failed-background", "#fff6f6"),
    border: v("--compact-border", "#b9c2d0"),
    text: v("--text", "#1d2330"),
    barTrack: v("--bar-track", "#e6e9ef"),
    barLow: green,
    barMid: "#d97706",
    barHigh: red,
    red,
    green,
    accent: v("--accent", "#3b6fd8"),
    bottleneck: v("--compact-bottleneck", "#c2410c"),
    kind: { ...KIND_COLOURS, stage: green },
    wire: wire as Record<WireColour, string>,
  };
}
