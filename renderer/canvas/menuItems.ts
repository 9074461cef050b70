import { SIZE_BOUNDS } from "../../engine/bounds.js";
import { pathOf } from "../graph/model.js";
import { useAnalysisBlocker } from "../panels/analysis/controls.js";
import { runProfile } from "../store/analysis.js";
import { openPicker, type CanvasPoint, type MenuTarget } from "../store/canvasOverlay.js";
import { useDocument } from "../store/document.js";
import { liveConcurrency } from "../store/runCommands.js";
import { useFitGraph } from "./fitGraph.js";
import { fitViewOptions } from "./fitView.js";
import { useAutoLayout } from "./useAutoLayout.js";

/** One entry of a context menu: what it does, or the value it asks for first; `disabled` says why it cannot be used now. */
export interface MenuItem {
  label: string;
  testId: string;
  disabled?: string | null;
  separatorBefore?: boolean;
  run?: () => void;
  /** Asks for a value in the menu; `apply` returns why the value is refused, or null once applied. */
  prompt?: { label: string; initial: string; type: "text" | "number"; apply(value: string): string | null };
}

/** Why a concurrency typed in the menu is refused, or null: an integer within the bounds the file and the engine share. */
export function concurrencyProblem(value: string): string | null {
  const { min, max } = SIZE_BOUNDS.concurrency;
  const number = Number(value);
  return Number.isInteger(number) && number >= min && number <= max ? null : `concurrency is a whole number from ${min} to ${max}`;
}

/** The items of the menu opened on `target` at `point`. */
export function useMenuItems(target: MenuTarget, point: CanvasPoint): MenuItem[] {
  const fitGraph = useFitGraph();
  const autoLayout = useAutoLayout();
  const lock = useDocument((s) => s.editLock);
  const profileBlocker = useAnalysisBlocker("profile");
  const doc = useDocument.getState();

  if (target.kind === "edge") {
    return [
      {
        label: "Insert a stage here…",
        testId: "insert-stage",
        disabled: lock,
        run: () => openPicker(point, { kind: "onEdge", edgeId: target.id }),
      },
      {
        label: "Delete wire",
        testId: "delete-edge",
        disabled: lock,
        run: () => {
          // Out of a route, the path goes and the later ones are numbered down (paths stay 0 to n−1).
          const edge = doc.edges.find((e) => e.id === target.id);
          const path = edge ? pathOf(edge) : undefined;
          if (edge && path !== undefined) doc.removePath(edge.source, path);
          else doc.removeEdge(target.id);
        },
      },
    ];
  }

  if (target.kind === "pane") {
    return [
      { label: "Add a stage here…", testId: "add-stage", disabled: lock, run: () => openPicker(point, { kind: "add" }) },
      {
        label: "Paste",
        testId: "paste",
        // Notes alone may be pasted while a run locks the graph (they never run).
        disabled: (doc.clipboard?.nodes.length ? lock : null) ?? (doc.clipboard ? null : "nothing copied yet"),
        run: () => doc.paste(),
      },
      { label: "Select all", testId: "select-all", separatorBefore: true, run: () => doc.selectAll() },
      { label: "Fit view", testId: "fit-view", run: () => void fitGraph({ ...fitViewOptions(doc.nodes.length), duration: 300 }) },
      { label: "Auto-layout", testId: "auto-layout", run: () => void autoLayout() },
    ];
  }

  const id = target.id;
  const node = doc.nodes.find((n) => n.id === id);
  const isStage = node?.type === "stage";
  const wired = doc.edges.some((e) => e.source === id || e.target === id);
  const notStage = `only a stage has a concurrency (this is ${node?.type ?? "gone"})`;
  return [
    {
      label: "Rename…",
      testId: "rename",
      disabled: lock,
      prompt: { label: "New name", initial: id, type: "text", apply: (value) => useDocument.getState().renameNode(id, value) },
    },
    { label: "Duplicate", testId: "duplicate", disabled: lock, run: () => doc.duplicateNodes([id]) },
    {
      label: "Disconnect all",
      testId: "disconnect-all",
      disabled: lock ?? (wired ? null : "it has no wires"),
      run: () => doc.disconnectAll(id),
    },
    { label: "Delete", testId: "delete-node", disabled: lock, run: () => doc.removeNode(id) },
    {
      label: "Set concurrency…",
      testId: "concurrency",
      separatorBefore: true,
      // A live knob: it applies while the graph is locked too.
      disabled: isStage ? null : notStage,
      prompt: {
        label: "Concurrency (calls at once)",
        initial: String(node?.data.concurrency ?? 1),
        type: "number",
        apply: (value) => {
          const problem = concurrencyProblem(value);
          if (problem) return problem;
          useDocument.getState().updateNode(id, { concurrency: Number(value) });
          void liveConcurrency(id, Number(value));
          return null;
        },
      },
    },
    {
      label: "Profile this stage",
      testId: "profile-stage",
      disabled: isStage ? profileBlocker : `only a stage is profiled (this is ${node?.type ?? "gone"})`,
      run: () => void runProfile([id]),
    },
    {
      label: "Zoom to selection",
      testId: "zoom-selection",
      separatorBefore: true,
      run: () => {
        const selected = useDocument.getState().nodes.filter((n) => n.selected);
        const nodes = selected.some((n) => n.id === id) ? selected : [{ id }];
        void fitGraph({ ids: nodes.map((n) => n.id), duration: 300, maxZoom: 1.5, padding: 0.3 });
      },
    },
  ];
}
