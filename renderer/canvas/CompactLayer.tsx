import { useStoreApi } from "@xyflow/react";
import { useEffect, useRef } from "react";
import type { StudioNode } from "../graph/model.js";
import { useDocument } from "../store/document.js";
import { useHover } from "../store/hover.js";
import { useMetrics } from "../store/metrics.js";
import { useRun } from "../store/run.js";
import { useValidation } from "../store/validation.js";
import { useWireDrag } from "../store/wireDrag.js";
import { paintBars, paintNodes, paintWires, readTheme, type CompactTheme } from "./compactPaint.js";
import { reactFlowNodeIds } from "./levelOfDetail.js";
import { syncFallbackList } from "./compactFallback.js";
import { buildScene, nodesChange, wiresChanged, type CompactScene } from "./compactScene.js";

/** At the latest, how long after a drawing its fallback list says so (ms). */
const LIST_DELAY_MS = 500;

/** The scene the layer last drew, for the canvas's hit tests (pointing, box selection, wires). */
let drawn: CompactScene = { nodes: [], wires: [] };
let drawnOn: HTMLCanvasElement | null = null;

/** Whether the compact layer is drawing the graph (the canvas is zoomed out below the compact line). */
export const compactOn = (): boolean => drawnOn !== null;

/** The compact layer's scene and canvas (the canvas answers whether a point is on a wire's stroke). */
export const compactScene = (): { scene: CompactScene; canvas: HTMLCanvasElement | null } => ({ scene: drawn, canvas: drawnOn });

function problemNodes(): Set<string> {
  const { fileProblems, report } = useValidation.getState();
  const ids = new Set<string>();
  for (const problem of [...fileProblems, ...(report?.problems ?? [])]) if (problem.nodeId) ids.add(problem.nodeId);
  return ids;
}

/** The nodes kept in React Flow besides the selection: the one pointed at, the one a wire is drawn from. */
const live = (): (string | null)[] => [useHover.getState().stage, useWireDrag.getState().from];

/** The nodes React Flow draws now (the rest are the layer's), as Canvas.tsx works them out. */
function reactFlowNodesNow(): Set<string> {
  const { nodes, edges } = useDocument.getState();
  return reactFlowNodeIds(nodes, edges, live());
}

function sceneNow(): CompactScene {
  const { nodes, edges } = useDocument.getState();
  const { stages, queues } = useMetrics.getState();
  const run = useRun.getState();
  const wire = useWireDrag.getState();
  return buildScene({
    nodes,
    edges,
    stages,
    queues,
    problemNodes: problemNodes(),
    bottleneck: run.status !== "idle" ? (run.bottleneck?.stage ?? null) : null,
    wireFrom: wire.from,
    refusals: wire.refusals,
    reactFlowNodes: reactFlowNodesNow(),
  });
}

/**
 * Whether a change of the document leaves the layer's drawing as it is: a drag moving only nodes
 * React Flow draws (the dragged one and its neighbours), with the same wires.
 */
function onlyReactFlowMoved(nodes: readonly StudioNode[], previous: readonly StudioNode[], drawnHere: ReadonlySet<string>): boolean {
  if (nodes.length !== previous.length) return false;
  for (let i = 0; i < nodes.length; i++) if (nodes[i] !== previous[i] && !drawnHere.has(nodes[i]!.id)) return false;
  return true;
}

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => a.size === b.size && [...a].every((id) => b.has(id));

/**
 * The compact level of detail of the whole graph, drawn on one canvas under React Flow's nodes:
 * every node's name and bars and every wire. React Flow draws as DOM only the nodes pointed at
 * or selected and their neighbours (Canvas.tsx), so a big graph is a few elements to lay out,
 * paint and hit-test at each frame instead of thousands.
 *
 * It listens to the stores without re-rendering: a change marks the scene stale, and one
 * animation frame rebuilds and draws it; the viewport's pan and zoom only redraw. A drag moves
 * React Flow's nodes alone, and leaves the canvas as it is until the drop.
 */
export function CompactLayer() {
  const wiresRef = useRef<HTMLCanvasElement>(null);
  const nodesRef = useRef<HTMLCanvasElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const flowStore = useStoreApi();

  useEffect(() => {
    const [wiresCanvas, nodesCanvas, list] = [wiresRef.current, nodesRef.current, listRef.current];
    const wires = wiresCanvas?.getContext("2d");
    const nodes = nodesCanvas?.getContext("2d");
    if (!wiresCanvas || !nodesCanvas || !list || !wires || !nodes) return;
    let theme: CompactTheme | null = null;
    let stale = true;
    let frame = 0;
    /** The view last drawn at: any change draws everything again. */
    let drawnAt = "";
    /** False until drawn, and again when the colour scheme changes. */
    let shown = false;

    const paint = () => {
      frame = 0;
      const { transform, width, height } = flowStore.getState();
      const pixelRatio = window.devicePixelRatio || 1;
      for (const canvas of [wiresCanvas, nodesCanvas]) {
        // A canvas given a size is cleared: drawn whole below (the view key has the size).
        if (canvas.width !== Math.round(width * pixelRatio)) canvas.width = Math.round(width * pixelRatio);
        if (canvas.height !== Math.round(height * pixelRatio)) canvas.height = Math.round(height * pixelRatio);
      }
      // Read at the frame, after React Flow has switched its own light or dark class.
      theme ??= readTheme(nodesCanvas);
      const view = { transform, width, height, pixelRatio };
      const at = `${transform.join(" ")} ${width} ${height} ${pixelRatio}`;
      const whole = at !== drawnAt || !shown;
      let next = drawn;
      if (stale) {
        next = sceneNow();
        stale = false;
        listSoon();
      }
      const nodesChanged = whole ? "all" : nodesChange(drawn, next);
      const wiresToDraw = whole || wiresChanged(drawn, next);
      drawn = next;
      drawnAt = at;
      shown = true;
      if (wiresToDraw) paintWires(wires, drawn, view, theme);
      if (nodesChanged === "all") paintNodes(nodes, drawn, view, theme);
      else if (nodesChanged !== "none") paintBars(nodes, nodesChanged, view, theme);
      nodesCanvas.dataset.transform = transform.join(" ");
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(paint);
    };
    // The fallback list follows in idle time, not in the frame that draws (400 entries to compare).
    let idle = 0;
    const listSoon = () => {
      if (idle !== 0) return;
      idle = requestIdleCallback(
        () => {
          idle = 0;
          syncFallbackList(list, drawn);
        },
        { timeout: LIST_DELAY_MS },
      );
    };
    const rebuild = () => {
      stale = true;
      schedule();
    };

    drawnOn = nodesCanvas;
    let drawnHere = reactFlowNodesNow();
    const unsubscribe = [
      useDocument.subscribe((s, prev) => {
        if (s.nodes === prev.nodes && s.edges === prev.edges && s.dragging === prev.dragging) return;
        const now = reactFlowNodeIds(s.nodes, s.edges, live());
        if (s.dragging && s.edges === prev.edges && sameSet(now, drawnHere) && onlyReactFlowMoved(s.nodes, prev.nodes, now)) {
          // Read again at the drop (the drag's last change): nothing the canvas draws moved.
          stale = true;
          return;
        }
        drawnHere = now;
        rebuild();
      }),
      useHover.subscribe((s, prev) => {
        if (s.stage === prev.stage) return;
        drawnHere = reactFlowNodesNow();
        rebuild();
      }),
      useMetrics.subscribe((s, prev) => {
        if (s.stages !== prev.stages || s.queues !== prev.queues) rebuild();
      }),
      useRun.subscribe((s, prev) => {
        if (s.bottleneck !== prev.bottleneck || s.status !== prev.status) rebuild();
      }),
      useValidation.subscribe((s, prev) => {
        if (s.report !== prev.report || s.fileProblems !== prev.fileProblems) rebuild();
      }),
      useWireDrag.subscribe(() => {
        drawnHere = reactFlowNodesNow();
        rebuild();
      }),
      flowStore.subscribe((s, prev) => {
        if (s.transform !== prev.transform || s.width !== prev.width || s.height !== prev.height) schedule();
      }),
    ];
    const scheme = window.matchMedia("(prefers-color-scheme: dark)");
    const onScheme = () => {
      theme = null;
      shown = false;
      schedule();
    };
    scheme.addEventListener("change", onScheme);
    paint();
    return () => {
      for (const stop of unsubscribe) stop();
      scheme.removeEventListener("change", onScheme);
      if (frame !== 0) cancelAnimationFrame(frame);
      if (idle !== 0) cancelIdleCallback(idle);
      if (drawnOn === nodesCanvas) {
        drawnOn = null;
        drawn = { nodes: [], wires: [] };
      }
    };
  }, [flowStore]);

  // Two canvases: the wires under the nodes, so a snapshot that moves bars draws those bars alone.
  return (
    <>
      <canvas ref={wiresRef} className="compact-layer" aria-hidden="true" />
      <canvas ref={nodesRef} className="compact-layer" data-testid="compact-layer" aria-label="The pipeline, seen from afar">
        <ul ref={listRef} />
      </canvas>
    </>
  );
}
