import {
  Background,
  BackgroundVariant,
  ControlButton,
  Controls,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
  type Connection,
  type Edge,
  type Node,
  type OnConnectEnd,
  type OnConnectStart,
} from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, type DragEvent, type MouseEvent as ReactMouseEvent } from "react";
import { isGroupId, isNoteId } from "../graph/annotations.js";
import { connectionRefusal } from "../graph/connectRules.js";
import type { CanvasNode, StudioEdge, StudioNode } from "../graph/model.js";
import { openMenu, openPicker, type CanvasPoint } from "../store/canvasOverlay.js";
import { GRID_SIZE, onGrid, useCanvasSettings } from "../store/canvasSettings.js";
import { useDocument } from "../store/document.js";
import { useHover } from "../store/hover.js";
import { useRun } from "../store/run.js";
import { peekEdge } from "../store/runCommands.js";
import { useValidation } from "../store/validation.js";
import { endWire, startWire, useWireDrag } from "../store/wireDrag.js";
import { annotationNodeTypes } from "./annotationNodes.js";
import { CanvasControls } from "./CanvasControls.js";
import { ContextMenu } from "./ContextMenu.js";
import { GraphSearch } from "./GraphSearch.js";
import { OpPicker } from "./OpPicker.js";
import { nodeTypes as pipelineNodeTypes } from "./nodes.js";
import { DRAG_MIME, type PaletteDrag } from "./paletteDrag.js";
import { edgeTypes } from "./QueueEdge.js";
import { MIN_ZOOM, fitViewOptions, isSmallGraph } from "./fitView.js";
import { compactOn, compactScene, CompactLayer } from "./CompactLayer.js";
import { useCompactBoxSelection } from "./compactBoxSelect.js";
import { nodeAt } from "./compactGeometry.js";
import { wireAt } from "./compactPaint.js";
import { useFitGraph } from "./fitGraph.js";
import { GraphMinimap } from "./GraphMinimap.js";
import { CompactContext, drawnByReactFlow, reactFlowNodeIds, useCompactZoom } from "./levelOfDetail.js";
import { useAutoLayout } from "./useAutoLayout.js";
import { registerViewCentre } from "./viewCentre.js";

const nodeTypes = { ...pipelineNodeTypes, ...annotationNodeTypes };
const SNAP_GRID: [number, number] = [GRID_SIZE, GRID_SIZE];
/**
 * Props React Flow copies into its store when they change by identity: made once, not at each
 * render (a new defaultEdgeOptions re-rendered every edge at each move of a dragged node).
 */
const DEFAULT_EDGE_OPTIONS = { type: "queue" } as const;
const PRO_OPTIONS = { hideAttribution: true } as const;

/** Every node at one point: a file written without positions (they default to 0, 0). */
const stacked = (nodes: readonly StudioNode[]): boolean =>
  nodes.length > 1 && nodes.every((node) => node.position.x === nodes[0]!.position.x && node.position.y === nodes[0]!.position.y);

/** How near a handle a wire snaps to it (px); a drop anywhere on a node's body connects too (onConnectEnd). */
const CONNECTION_RADIUS = 30;

/** Where a mouse or touch event happened, on the screen. */
function clientPoint(event: MouseEvent | TouchEvent | ReactMouseEvent): { x: number; y: number } {
  if ("changedTouches" in event) {
    const touch = event.changedTouches[0];
    return { x: touch?.clientX ?? 0, y: touch?.clientY ?? 0 };
  }
  return { x: event.clientX, y: event.clientY };
}

/** How near a wire (screen pixels) a click or a right-click from afar takes it. */
const WIRE_REACH = 6;

/** The same rule the drop applies (connectRules), asked by React Flow for the handle under the pointer. */
const isValidConnection = (connection: Connection | Edge): boolean =>
  connectionRefusal(useDocument.getState(), connection.source, connection.target, connection.sourceHandle ?? null) === null;

export function Canvas() {
  const nodes = useDocument((s) => s.nodes);
  const notes = useDocument((s) => s.notes);
  const groups = useDocument((s) => s.groups);
  const compact = useCompactZoom();
  const hovered = useHover((s) => s.stage);
  const wireFrom = useWireDrag((s) => s.from);
  const documentEdges = useDocument((s) => s.edges);
  // From afar React Flow holds only the nodes pointed at, selected, not yet measured or being
  // wired from, and their neighbours (with the wires among them); the compact layer draws the rest.
  const drawnHere = useMemo(
    () => (compact ? reactFlowNodeIds(nodes, documentEdges, [hovered, wireFrom]) : null),
    [compact, nodes, documentEdges, hovered, wireFrom],
  );
  // Groups first (drawn behind), the pipeline's nodes, then notes on top.
  const canvasNodes = useMemo<CanvasNode[]>(
    () => [...groups, ...(drawnHere ? nodes.filter((node) => drawnHere.has(node.id)) : nodes), ...notes],
    [groups, nodes, notes, drawnHere],
  );
  const edges = useMemo(
    () => (drawnHere ? documentEdges.filter((edge) => drawnByReactFlow(edge, drawnHere)) : documentEdges),
    [documentEdges, drawnHere],
  );
  const snapToGrid = useCanvasSettings((s) => s.snapToGrid);
  const onNodesChange = useDocument((s) => s.onNodesChange);
  const onEdgesChange = useDocument((s) => s.onEdgesChange);
  const onConnect = useDocument((s) => s.connect);
  // While the graph runs, its edges stay as they are: no handle starts a connection.
  const locked = useDocument((s) => s.editLock !== null);
  const flow = useReactFlow<CanvasNode, StudioEdge>();
  const fitGraph = useFitGraph();
  useCompactBoxSelection();
  const canvasRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    registerViewCentre(() => {
      const box = canvasRef.current?.getBoundingClientRect();
      return box ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 }) : { x: 0, y: 0 };
    });
    return () => registerViewCentre(null);
  }, [flow]);
  const loadId = useDocument((s) => s.loadId);
  const initialized = useNodesInitialized();
  const fittedLoad = useRef(0);
  const autoLayout = useAutoLayout();

  // Fit an opened file into view once its nodes are measured (not on later edits); one without
  // positions is laid out first.
  useEffect(() => {
    if (loadId === fittedLoad.current) return;
    if (!initialized && nodes.length > 0) return;
    fittedLoad.current = loadId;
    if (stacked(useDocument.getState().nodes)) void autoLayout("open");
    else if (nodes.length > 0) void fitGraph(fitViewOptions(nodes.length));
  }, [loadId, initialized, nodes.length, fitGraph, autoLayout]);

  // Exposed for the browser tests: problem texts (and so node sizes) settle once validation has answered.
  const validating = useValidation((state) => state.validating);

  const fitOptions = useMemo(() => fitViewOptions(nodes.length), [nodes.length]);

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(DRAG_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const raw = event.dataTransfer.getData(DRAG_MIME);
      if (!raw) return;
      event.preventDefault();
      const drag = JSON.parse(raw) as PaletteDrag;
      const position = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      // Centre the new node under the pointer (roughly half a node).
      const at = onGrid({ x: position.x - 100, y: position.y - 30 });
      useDocument.getState().addNode(drag.kind, drag.op, at, drag.params);
    },
    [flow],
  );

  const pointAt = useCallback(
    (event: MouseEvent | TouchEvent | ReactMouseEvent): CanvasPoint => {
      const screen = clientPoint(event);
      return { screen, flow: flow.screenToFlowPosition(screen) };
    },
    [flow],
  );

  // Quick-add: a double-click on empty canvas opens the op picker there.
  const onDoubleClick = useCallback(
    (event: ReactMouseEvent) => {
      if (!(event.target instanceof Element) || !event.target.classList.contains("react-flow__pane")) return;
      if (!useDocument.getState().editable()) return;
      openPicker(pointAt(event), { kind: "add" });
    },
    [pointAt],
  );

  const onConnectStart: OnConnectStart = useCallback((_, { nodeId, handleId, handleType }) => {
    if (nodeId) startWire(useDocument.getState(), nodeId, handleId ?? null, handleType === "target" ? "in" : "out");
  }, []);

  /**
   * A wire let go of away from a handle: on a node's body it connects there (or says why not); in
   * empty space it opens the op picker, whose op is added there wired to this output (or input).
   */
  const onConnectEnd: OnConnectEnd = useCallback(
    (event, state) => {
      endWire();
      if (state.isValid || !state.fromNode || !state.fromHandle) return;
      const start = state.fromNode.id;
      const out = state.fromHandle.type === "source";
      const fromHandle = out ? (state.fromHandle.id ?? null) : null;
      const point = pointAt(event);
      const under = document.elementFromPoint(point.screen.x, point.screen.y);
      const underId =
        state.toNode?.id ??
        under?.closest(".react-flow__node")?.getAttribute("data-id") ??
        (compactOn() ? nodeAt(compactScene().scene.nodes, point.flow) : null);
      // A note or a group's frame is not a stage: a wire dropped there is dropped on the canvas.
      const onAnnotation = underId !== null && (isNoteId(underId) || isGroupId(underId));
      const onNode = onAnnotation ? null : underId;
      const doc = useDocument.getState();
      if (onNode) {
        if (onNode === start) return;
        if (out) doc.connect({ source: start, target: onNode, sourceHandle: fromHandle, targetHandle: null });
        else doc.connect({ source: onNode, target: start, sourceHandle: null, targetHandle: null });
      } else if ((onAnnotation || under?.closest(".react-flow__pane")) && doc.editable()) {
        openPicker(point, out ? { kind: "after", from: start, fromHandle } : { kind: "before", to: start });
      }
    },
    [pointAt],
  );

  const onNodeContextMenu = useCallback(
    (event: ReactMouseEvent, node: Node) => {
      // Notes and groups have their own controls; their menu is the canvas's.
      if (isNoteId(node.id) || isGroupId(node.id)) return;
      event.preventDefault();
      const doc = useDocument.getState();
      if (!doc.nodes.find((n) => n.id === node.id)?.selected) doc.selectOnly([node.id]);
      openMenu(pointAt(event), { kind: "node", id: node.id });
    },
    [pointAt],
  );
  const onEdgeContextMenu = useCallback(
    (event: ReactMouseEvent, edge: Edge) => {
      event.preventDefault();
      useDocument.getState().selectEdge(edge.id);
      openMenu(pointAt(event), { kind: "edge", id: edge.id });
    },
    [pointAt],
  );
  /** From afar, the wire drawn under the pointer (the compact layer's wires are not elements). */
  const compactWireAt = useCallback(
    (point: CanvasPoint): string | null => {
      const { scene, canvas } = compactScene();
      const ctx = canvas?.getContext("2d");
      return ctx ? wireAt(ctx, scene, point.flow, flow.getZoom(), WIRE_REACH) : null;
    },
    [flow],
  );

  const onPaneContextMenu = useCallback(
    (event: ReactMouseEvent | MouseEvent) => {
      event.preventDefault();
      const point = pointAt(event);
      const wire = compactOn() ? compactWireAt(point) : null;
      if (wire) {
        useDocument.getState().selectEdge(wire);
        openMenu(point, { kind: "edge", id: wire });
      } else openMenu(point, { kind: "pane" });
    },
    [pointAt, compactWireAt],
  );

  // From afar a click on a wire selects it (and while running, shows what is in its queue).
  const onPaneClick = useCallback(
    (event: ReactMouseEvent) => {
      if (!compactOn()) return;
      const wire = compactWireAt(pointAt(event));
      const edge = wire ? useDocument.getState().edges.find((e) => e.id === wire) : undefined;
      if (!edge) return;
      useDocument.getState().selectEdge(edge.id);
      if (useRun.getState().status !== "idle") void peekEdge(edge.id, edge.source, edge.target);
    },
    [pointAt, compactWireAt],
  );

  // From afar the node under the pointer is handed to React Flow (drawn as DOM, its handles live),
  // so pressing, dragging, wiring and its menu work on it as on any node.
  const onPaneMouseMove = useCallback(
    (event: ReactMouseEvent) => {
      if (!compactOn() || useDocument.getState().dragging) return;
      const id = nodeAt(compactScene().scene.nodes, pointAt(event).flow);
      if (id !== useHover.getState().stage) useHover.getState().setHoveredStage(id);
    },
    [pointAt],
  );

  const onEdgeClick = useCallback((_: unknown, edge: Edge) => {
    if (useRun.getState().status !== "idle") void peekEdge(edge.id, edge.source, edge.target);
  }, []);

  // The hovered stage's lines come forward on the live charts. Not while a node is dragged: the
  // node lags the pointer, which slips off and back on at every few moves, and each change
  // redraws every chart (hundreds of lines on a big graph).
  const onNodeMouseEnter = useCallback((_: unknown, node: Node) => {
    if (isNoteId(node.id) || isGroupId(node.id) || useDocument.getState().dragging) return;
    useHover.getState().setHoveredStage(node.id);
  }, []);
  const onNodeMouseLeave = useCallback(() => {
    if (!useDocument.getState().dragging) useHover.getState().setHoveredStage(null);
  }, []);

  return (
    <div
      ref={canvasRef}
      className="canvas"
      onDragOver={onDragOver}
      onDrop={onDrop}
      onDoubleClick={onDoubleClick}
      data-testid="canvas"
      data-validating={validating}
      data-locked={locked}
      data-snap={snapToGrid}
    >
      <CompactContext.Provider value={compact}>
        <ReactFlow<CanvasNode, StudioEdge>
          nodes={canvasNodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={onConnect}
          onConnectStart={onConnectStart}
          onConnectEnd={onConnectEnd}
          isValidConnection={isValidConnection}
          connectionRadius={CONNECTION_RADIUS}
          nodesConnectable={!locked}
          zoomOnDoubleClick={false}
          onNodeContextMenu={onNodeContextMenu}
          onEdgeContextMenu={onEdgeContextMenu}
          onPaneContextMenu={onPaneContextMenu}
          onPaneClick={onPaneClick}
          onPaneMouseMove={onPaneMouseMove}
          onEdgeClick={onEdgeClick}
          onNodeMouseEnter={onNodeMouseEnter}
          onNodeMouseLeave={onNodeMouseLeave}
          defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
          deleteKeyCode={null}
          selectionKeyCode="Shift"
          multiSelectionKeyCode={["Meta", "Control"]}
          minZoom={MIN_ZOOM}
          fitViewOptions={fitOptions}
          maxZoom={2}
          proOptions={PRO_OPTIONS}
          snapToGrid={snapToGrid}
          snapGrid={SNAP_GRID}
          // A selected group stays behind the nodes it frames (they stay clickable).
          elevateNodesOnSelect={false}
          colorMode="system"
        >
          {/* Snapping on: the grid it snaps to, drawn as lines. */}
          <Background
            gap={GRID_SIZE}
            size={1}
            variant={snapToGrid ? BackgroundVariant.Lines : BackgroundVariant.Dots}
            className={snapToGrid ? "grid-lines" : undefined}
          />
          {compact && <CompactLayer />}
          {!isSmallGraph(nodes.length) && <GraphMinimap />}
          <Controls showFitView={false}>
            <ControlButton
              onClick={() => void fitGraph({ ...fitOptions, duration: 300 })}
              className="react-flow__controls-fitview"
              title="Fit the graph into view"
              aria-label="Fit view"
            >
              <span className="control-glyph">⤢</span>
            </ControlButton>
            <CanvasControls />
          </Controls>
        </ReactFlow>
      </CompactContext.Provider>
      <GraphSearch />
      <OpPicker />
      <ContextMenu />
    </div>
  );
}
