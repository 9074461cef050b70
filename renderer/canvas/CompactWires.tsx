import { EdgeLabelRenderer, useStoreApi, type InternalNode, type ReactFlowState } from "@xyflow/react";
import { memo, useCallback, useEffect, useRef, type MouseEvent as ReactMouseEvent } from "react";
import { edgeId, type CanvasNode, type StudioEdge } from "../graph/model.js";
import { pathAlong } from "../graph/routePaths.js";
import { useDocument } from "../store/document.js";
import { useMetrics } from "../store/metrics.js";
import { wirePath } from "./wireGeometry.js";
import { wireClass, wireColourOf, type WireColour } from "./wireLook.js";

/**
 * A big graph's wires from afar (level of detail), drawn as one SVG under the nodes instead of
 * React Flow's SVG per wire, whose edges are kept hidden meanwhile (selection still runs through
 * them). A dragged node's move rewrites the two wires it ends, straight in the DOM, from one
 * subscription to React Flow's store: no React render and no selector per wire at each move. Per
 * move of a 200-stage graph, React Flow's wires cost about 2 ms of layout, layerizing and selectors.
 */

export type WireHandler = (event: ReactMouseEvent, edge: StudioEdge) => void;

interface DrawnWire {
  edge: StudioEdge;
  paths: SVGPathElement[];
  /** The nodes the wire was last drawn between (React Flow makes a new object when a node moves or is measured). */
  from?: InternalNode<CanvasNode>;
  to?: InternalNode<CanvasNode>;
}

/** Redraws a wire whose end nodes changed since it was last drawn. */
function redraw(wire: DrawnWire, state: Pick<ReactFlowState<CanvasNode, StudioEdge>, "nodeLookup">): void {
  const from = state.nodeLookup.get(wire.edge.source);
  const to = state.nodeLookup.get(wire.edge.target);
  if (from === wire.from && to === wire.to) return;
  wire.from = from;
  wire.to = to;
  const d = wirePath(wire.edge, from, to);
  for (const path of wire.paths) if (path.getAttribute("d") !== d) path.setAttribute("d", d);
}

const CompactWire = memo(function CompactWire(props: {
  edge: StudioEdge;
  attach: (edge: StudioEdge, group: SVGGElement) => () => void;
  onClick: WireHandler;
  onContextMenu: WireHandler;
}) {
  const { edge, attach, onClick, onContextMenu } = props;
  const queueKey = edgeId(edge.source, edge.target);
  // The colour only, not the depth: a snapshot re-renders the few wires whose colour changed.
  const colour = useMetrics((s): WireColour => wireColourOf(s.queues[queueKey]));
  const colourPath = useDocument((s) => pathAlong(s, edge.id));
  const ref = useCallback((group: SVGGElement | null) => (group ? attach(edge, group) : undefined), [attach, edge]);
  return (
    <g
      ref={ref}
      className={`react-flow__edge selectable${edge.selected ? " selected" : ""}`}
      data-testid={`compact-wire-${edge.id}`}
      data-colour={colour}
      onClick={(event) => onClick(event, edge)}
      onContextMenu={(event) => onContextMenu(event, edge)}
    >
      <path className={`react-flow__edge-path ${wireClass(colour, colourPath, edge.selected)}`} />
      {/* React Flow's wide invisible twin: a wire a pixel wide from afar is still easy to point at. */}
      <path className="react-flow__edge-interaction" fill="none" strokeOpacity={0} strokeWidth={20} />
    </g>
  );
});

export function CompactWires({ onClick, onContextMenu }: { onClick: WireHandler; onContextMenu: WireHandler }) {
  const edges = useDocument((s) => s.edges);
  const flow = useStoreApi<CanvasNode, StudioEdge>();
  // React Flow selects a wire it draws before its click handler runs; this layer does the same.
  const select = useCallback<WireHandler>(
    (event, edge) => {
      useDocument.getState().selectEdge(edge.id);
      onClick(event, edge);
    },
    [onClick],
  );
  const wires = useRef(new Map<string, DrawnWire>());

  const attach = useCallback(
    (edge: StudioEdge, group: SVGGElement) => {
      const wire: DrawnWire = { edge, paths: [...group.querySelectorAll("path")] };
      wires.current.set(edge.id, wire);
      redraw(wire, flow.getState());
      return () => {
        if (wires.current.get(edge.id) === wire) wires.current.delete(edge.id);
      };
    },
    [flow],
  );

  useEffect(
    () =>
      // React Flow changes its node lookup in place: each wire compares its two nodes itself.
      flow.subscribe((state) => {
        for (const wire of wires.current.values()) redraw(wire, state);
      }),
    [flow],
  );

  return (
    <EdgeLabelRenderer>
      <svg className="compact-wires" data-testid="compact-wires">
        {edges.map((edge) => (
          <CompactWire key={edge.id} edge={edge} attach={attach} onClick={select} onContextMenu={onContextMenu} />
        ))}
      </svg>
    </EdgeLabelRenderer>
  );
}
