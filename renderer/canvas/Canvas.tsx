import { Background, Controls, MiniMap, ReactFlow, useNodesInitialized, useReactFlow, type Edge, type Node } from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, type DragEvent } from "react";
import type { StudioEdge, StudioNode } from "../graph/model.js";
import { useDocument } from "../store/document.js";
import { useHover } from "../store/hover.js";
import { useRun } from "../store/run.js";
import { peekEdge } from "../store/runCommands.js";
import { useValidation } from "../store/validation.js";
import { nodeTypes } from "./nodes.js";
import { DRAG_MIME, type PaletteDrag } from "./paletteDrag.js";
import { edgeTypes } from "./QueueEdge.js";
import { MIN_ZOOM, MINIMAP_SIZE, fitViewOptions, isSmallGraph } from "./fitView.js";
import { useAutoLayout } from "./useAutoLayout.js";

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
    default:
      return "#c98a1b";
  }
};

export function Canvas() {
  const nodes = useDocument((s) => s.nodes);
  const edges = useDocument((s) => s.edges);
  const onNodesChange = useDocument((s) => s.onNodesChange);
  const onEdgesChange = useDocument((s) => s.onEdgesChange);
  const onConnect = useDocument((s) => s.connect);
  // While the graph runs, its edges stay as they are: no handle starts a connection.
  const locked = useDocument((s) => s.editLock !== null);
  const flow = useReactFlow<StudioNode, StudioEdge>();
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
      useDocument.getState().addNode(drag.kind, drag.op, { x: position.x - 100, y: position.y - 30 }, drag.params);
    },
    [flow],
  );

  const onEdgeClick = useCallback((_: unknown, edge: Edge) => {
    if (useRun.getState().status !== "idle") void peekEdge(edge.id, edge.source, edge.target);
  }, []);

  // The hovered stage's lines come forward on the live charts.
  const onNodeMouseEnter = useCallback((_: unknown, node: Node) => useHover.getState().setHoveredStage(node.id), []);
  const onNodeMouseLeave = useCallback(() => useHover.getState().setHoveredStage(null), []);

  return (
    <div className="canvas" onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas" data-validating={validating} data-locked={locked}>
      <ReactFlow<StudioNode, StudioEdge>
        nodes={nodes}
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
        fitViewOptions={fitOptions}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} size={1} />
        {!isSmallGraph(nodes.length) && <MiniMap pannable zoomable nodeColor={minimapColour} style={MINIMAP_SIZE} />}
        <Controls />
      </ReactFlow>
    </div>
  );
}
