import { Panel, useStore, useStoreApi, type Rect, type ReactFlowState } from "@xyflow/react";
import { XYMinimap, type XYMinimapInstance } from "@xyflow/system";
import { memo, useEffect, useMemo, useRef } from "react";
import type { CanvasNode } from "../graph/model.js";
import { useDocument } from "../store/document.js";
import { boundsOf, nodeBox } from "./fitGraph.js";
import { MINIMAP_SIZE } from "./fitView.js";
import { KIND_COLOURS } from "./kindColours.js";
import { useCompact } from "./levelOfDetail.js";

/** Margin round the drawn area, in minimap pixels. */
const OFFSET = 5;

/** Notes and groups on the minimap; the pipeline's nodes in their kind's colour. */
const ANNOTATION_COLOURS: Readonly<Record<string, string>> = { note: "#e8c547", group: "rgba(120, 130, 150, 0.25)" };

const minimapColour = (node: CanvasNode): string =>
  KIND_COLOURS[node.type ?? "stage"] ?? ANNOTATION_COLOURS[node.type ?? ""] ?? KIND_COLOURS.aggregate!;

type MinimapNodeProps = { x: number; y: number; width: number; height: number; colour: string; selected: boolean };

const MinimapNode = memo(function MinimapNode({ x, y, width, height, colour, selected }: MinimapNodeProps) {
  return (
    <rect
      className={`react-flow__minimap-node${selected ? " selected" : ""}`}
      x={x}
      y={y}
      width={width}
      height={height}
      rx={5}
      ry={5}
      style={{ fill: colour }}
      shapeRendering="crispEdges"
    />
  );
});

const viewSelector = (s: ReactFlowState) => ({
  x: -s.transform[0] / s.transform[2],
  y: -s.transform[1] / s.transform[2],
  width: s.width / s.transform[2],
  height: s.height / s.transform[2],
});
const sameRect = (a: Rect, b: Rect): boolean => a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;

/**
 * The whole graph small, with the part in view unmasked; drag it to pan, scroll on it to zoom.
 * It draws from the document, not React Flow's nodes: from afar React Flow holds only the nodes
 * pointed at or selected (the compact layer draws the rest), and React Flow's own minimap would
 * show those alone. Panning and zooming are React Flow's (XYMinimap), driving its viewport.
 */
export function GraphMinimap() {
  const nodes = useDocument((s) => s.nodes);
  const notes = useDocument((s) => s.notes);
  const groups = useDocument((s) => s.groups);
  const edges = useDocument((s) => s.edges);
  const compact = useCompact();
  const view = useStore(viewSelector, sameRect);
  const panZoom = useStore((s) => s.panZoom);
  const flowSize = useStore(
    (s) => ({ width: s.width, height: s.height, translateExtent: s.translateExtent }),
    (a, b) => a.width === b.width && a.height === b.height && a.translateExtent === b.translateExtent,
  );
  const store = useStoreApi();
  const svg = useRef<SVGSVGElement>(null);
  const minimap = useRef<XYMinimapInstance | null>(null);

  const all = useMemo(() => [...groups, ...nodes, ...notes], [groups, nodes, notes]);
  const drawn = useMemo(
    () =>
      all.map((node) => ({
        id: node.id,
        rect: nodeBox(node, compact, edges),
        colour: minimapColour(node),
        selected: Boolean(node.selected),
      })),
    [all, compact, edges],
  );
  const graph = boundsOf(all, compact, edges);
  const bounds = all.length > 0 ? union(graph, view) : view;

  const { width: elementWidth, height: elementHeight } = MINIMAP_SIZE;
  const viewScale = Math.max(bounds.width / elementWidth, bounds.height / elementHeight);
  const viewWidth = viewScale * elementWidth;
  const viewHeight = viewScale * elementHeight;
  const offset = OFFSET * viewScale;
  const x = bounds.x - (viewWidth - bounds.width) / 2 - offset;
  const y = bounds.y - (viewHeight - bounds.height) / 2 - offset;
  const width = viewWidth + offset * 2;
  const height = viewHeight + offset * 2;
  const viewScaleRef = useRef(viewScale);
  useEffect(() => {
    viewScaleRef.current = viewScale;
  }, [viewScale]);

  useEffect(() => {
    if (!svg.current || !panZoom) return;
    minimap.current = XYMinimap({
      domNode: svg.current,
      panZoom,
      getTransform: () => store.getState().transform,
      getViewScale: () => viewScaleRef.current,
    });
    return () => {
      minimap.current?.destroy();
      minimap.current = null;
    };
  }, [panZoom, store]);

  useEffect(() => {
    minimap.current?.update({
      translateExtent: flowSize.translateExtent,
      width: flowSize.width,
      height: flowSize.height,
      pannable: true,
      zoomable: true,
    });
  }, [flowSize, panZoom]);

  return (
    <Panel position="bottom-right" className="react-flow__minimap" data-testid="rf__minimap" style={MINIMAP_SIZE}>
      <svg
        ref={svg}
        width={elementWidth}
        height={elementHeight}
        viewBox={`${x} ${y} ${width} ${height}`}
        className="react-flow__minimap-svg"
        role="img"
        aria-label="Minimap: the whole graph, the part in view unmasked"
      >
        {drawn.map((node) => (
          <MinimapNode key={node.id} {...node.rect} colour={node.colour} selected={node.selected} />
        ))}
        <path
          className="react-flow__minimap-mask"
          d={`M${x - offset},${y - offset}h${width + offset * 2}v${height + offset * 2}h${-width - offset * 2}z M${view.x},${view.y}h${view.width}v${view.height}h${-view.width}z`}
          fillRule="evenodd"
          pointerEvents="none"
        />
      </svg>
    </Panel>
  );
}

function union(a: Rect, b: Rect): Rect {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}
