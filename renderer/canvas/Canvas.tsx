import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
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
import { endWire, startWire } from "../store/wireDrag.js";
import { annotationNodeTypes } from "./annotationNodes.js";
import { CanvasControls } from "./CanvasControls.js";
import { ContextMenu } from "./ContextMenu.js";
import { GraphSearch } from "./GraphSearch.js";
import { OpPicker } from "./OpPicker.js";
import { nodeTypes as pipelineNodeTypes } from "./nodes.js";
import { DRAG_MIME, type PaletteDrag } from "./paletteDrag.js";
import { edgeTypes } from "./QueueEdge.js";
import { MIN_ZOOM, MINIMAP_SIZE, fitViewOptions, isSmallGraph } from "./fitView.js";
import { CompactContext, useCompactZoom } from "./levelOfDetail.js";
import { FlowIdContext, useFlowId } from "./nodeHandle.js";
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

const minimapColour = (node: Node): string => {
  switch (node.type) {
    case "source":
      return "#5b8def";
    case "sink":
      return "#8a63d2";
    case "stage":
      return "#2f9e6e";
    case "route":
      return "#d0568a";
    case "note":
      return "#e8c547";
    case "group":
      return "rgba(120, 130, 150, 0.25)";
    default:
      return "#c98a1b";
  }
};

/** Where a mouse or touch event happened, on the screen. */
function clientPoint(event: MouseEvent | TouchEvent | ReactMouseEvent): { x: number; y: number } {
  if ("changedTouches" in event) {
    const touch = event.changedTouches[0];
    return { x: touch?.clientX ?? 0, y: touch?.clientY ?? 0 };
  }
  return { x: event.clientX, y: event.clientY };
}

/** The same rule the drop applies (connectRules), asked by React Flow for the handle under the pointer. */
const isValidConnection = (connection: Connection | Edge): boolean =>
  connectionRefusal(useDocument.getState(), connection.source, connection.target, connection.sourceHandle ?? null) === null;

export function Canvas() {
  const nodes = useDocument((s) => s.nodes);
  const notes = useDocument((s) => s.notes);
  const groups = useDocument((s) => s.groups);
  // Groups first (drawn behind), the pipeline's nodes, then notes on top.
  const canvasNodes = useMemo<CanvasNode[]>(() => [...groups, ...nodes, ...notes], [groups, nodes, notes]);
  const snapToGrid = useCanvasSettings((s) => s.snapToGrid);
  const edges = useDocument((s) => s.edges);
  const onNodesChange = useDocument((s) => s.onNodesChange);
  const onEdgesChange = useDocument((s) => s.onEdgesChange);
  const onConnect = useDocument((s) => s.connect);
  // While the graph runs, its edges stay as they are: no handle starts a connection.
  const locked = useDocument((s) => s.editLock !== null);
  const flow = useReactFlow<CanvasNode, StudioEdge>();
  const compact = useCompactZoom();
  const flowId = useFlowId();
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
    else if (nodes.length > 0) void flow.fitView(fitViewOptions(nodes.length));
  }, [loadId, initialized, nodes.length, flow, autoLayout]);

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
      const underId = state.toNode?.id ?? under?.closest(".react-flow__node")?.getAttribute("data-id") ?? null;
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
  const onPaneContextMenu = useCallback(
    (event: ReactMouseEvent | MouseEvent) => {
      event.preventDefault();
      openMenu(pointAt(event), { kind: "pane" });
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
        <FlowIdContext.Provider value={flowId}>
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
            {!isSmallGraph(nodes.length) && <MiniMap pannable zoomable nodeColor={minimapColour} style={MINIMAP_SIZE} />}
            <Controls>
              <CanvasControls />
            </Controls>
          </ReactFlow>
        </FlowIdContext.Provider>
      </CompactContext.Provider>
      <GraphSearch />
      <OpPicker />
      <ContextMenu />
    </div>
  );
}
