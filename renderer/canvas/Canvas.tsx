import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
  type Edge,
  type Node,
} from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, type DragEvent } from "react";
import { isGroupId, isNoteId } from "../graph/annotations.js";
import type { CanvasNode, StudioEdge, StudioNode } from "../graph/model.js";
import { GRID_SIZE, onGrid, useCanvasSettings } from "../store/canvasSettings.js";
import { useDocument } from "../store/document.js";
import { useHover } from "../store/hover.js";
import { useRun } from "../store/run.js";
import { peekEdge } from "../store/runCommands.js";
import { useValidation } from "../store/validation.js";
import { annotationNodeTypes } from "./annotationNodes.js";
import { CanvasControls } from "./CanvasControls.js";
import { nodeTypes as pipelineNodeTypes } from "./nodes.js";
import { DRAG_MIME, type PaletteDrag } from "./paletteDrag.js";
import { edgeTypes } from "./QueueEdge.js";
import { FIT_VIEW, MIN_ZOOM, MINIMAP_SIZE } from "./fitView.js";
import { useAutoLayout } from "./useAutoLayout.js";
import { registerViewCentre } from "./viewCentre.js";

const nodeTypes = { ...pipelineNodeTypes, ...annotationNodeTypes };
const SNAP_GRID: [number, number] = [GRID_SIZE, GRID_SIZE];

/** Every node at one point: a file written without positions (they default to 0, 0). */
const stacked = (nodes: readonly StudioNode[]): boolean =>
  nodes.length > 1 && nodes.every((node) => node.position.x === nodes[0]!.position.x && node.position.y === nodes[0]!.position.y);

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
    else if (nodes.length > 0) void flow.fitView(FIT_VIEW);
  }, [loadId, initialized, nodes.length, flow, autoLayout]);

  // Exposed for the browser tests: problem texts (and so node sizes) settle once validation has answered.
  const validating = useValidation((state) => state.validating);

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
      const at = onGrid({ x: position.x - 100, y: position.y - 30 }, useCanvasSettings.getState().snapToGrid);
      useDocument.getState().addNode(drag.kind, drag.op, at, drag.params);
    },
    [flow],
  );

  const onEdgeClick = useCallback((_: unknown, edge: Edge) => {
    if (useRun.getState().status !== "idle") void peekEdge(edge.id, edge.source, edge.target);
  }, []);

  // The hovered stage's lines come forward on the live charts.
  const onNodeMouseEnter = useCallback(
    (_: unknown, node: Node) => !isNoteId(node.id) && !isGroupId(node.id) && useHover.getState().setHoveredStage(node.id),
    [],
  );
  const onNodeMouseLeave = useCallback(() => useHover.getState().setHoveredStage(null), []);

  return (
    <div
      ref={canvasRef}
      className="canvas"
      onDragOver={onDragOver}
      onDrop={onDrop}
      data-testid="canvas"
      data-validating={validating}
      data-locked={locked}
      data-snap={snapToGrid}
    >
      <ReactFlow<CanvasNode, StudioEdge>
        nodes={canvasNodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        nodesConnectable={!locked}
        onEdgeClick={onEdgeClick}
        onNodeMouseEnter={onNodeMouseEnter}
        onNodeMouseLeave={onNodeMouseLeave}
        defaultEdgeOptions={{ type: "queue" }}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={["Meta", "Control"]}
        minZoom={MIN_ZOOM}
        fitViewOptions={FIT_VIEW}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
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
        <MiniMap pannable zoomable nodeColor={minimapColour} style={MINIMAP_SIZE} />
        <Controls>
          <CanvasControls />
        </Controls>
      </ReactFlow>
    </div>
  );
}
