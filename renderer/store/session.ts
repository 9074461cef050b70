import { create } from "zustand";
import type { FailureView, RunEnded, StudioApi, StudioEvent } from "../api/types.js";
import { toSpec } from "../graph/model.js";
import { useDocument } from "./document.js";
import { recordSnapshot, resetLiveSeries } from "./liveSeries.js";
import { loadCatalog } from "./catalog.js";
import { closeDialog, showDialog } from "./dialog.js";
import { errorText, guarded, requireApi, setHostApi } from "./hostConnection.js";
import { useMetrics } from "./metrics.js";
import { showError, showNotice } from "./notice.js";
import { confirmUserCode, useValidation, validateOnEdit } from "./validation.js";
import { onProfileStep, onTuneTrial, useAnalysis } from "./analysis.js";
import { followRunEnds, showRuns } from "./runs.js";

export type RunStatus = "idle" | "starting" | "running" | "ended";

interface SessionState {
  runStatus: RunStatus;
  runId: string | null;
  /** The node ids at run start: live knobs address these stages. */
  runStages: string[];
  ended: RunEnded | null;
  /** The bottleneck finder's verdict over the last second of the run (null until judged). */
  bottleneck: { stage: string | null; reason: string } | null;
  failures: FailureView[];
  peek: { edgeId: string; from: string; to: string; items: string[] } | null;
}

export const useSession = create<SessionState>()(() => ({
  runStatus: "idle",
  runId: null,
  runStages: [],
  ended: null,
  bottleneck: null,
  failures: [],
  peek: null,
}));

export const isRunning = (status: RunStatus): boolean => status === "running" || status === "starting";

function sinkId(): string | null {
  return useDocument.getState().nodes.find((n) => n.type === "sink")?.id ?? null;
}

function handleEvent(event: StudioEvent): void {
  const session = useSession.getState();
  if (event.type === "runStats") {
    if (!isRunning(session.runStatus)) return;
    if (session.runId && session.runId !== event.runId) return;
    if (!session.runId || session.runStatus === "starting") useSession.setState({ runId: event.runId, runStatus: "running" });
    const sink = sinkId();
    useMetrics.getState().ingest(event.runId, event.snapshot, sink);
    recordSnapshot(event.runId, event.snapshot, sink);
    const verdict = event.bottleneck;
    const current = useSession.getState().bottleneck;
    // Only a changed verdict updates the store: nodes re-render when theirs changes, not at 10 Hz.
    if (verdict && (current?.stage !== verdict.stage || current.reason !== verdict.reason)) {
      useSession.setState({ bottleneck: { stage: verdict.stage, reason: verdict.reason } });
    }
  } else if (event.type === "runEnded") {
    if (session.runId && session.runId !== event.ended.runId) return;
    const sink = sinkId();
    useMetrics.getState().ingest(event.ended.runId, event.ended.snapshot, sink);
    // The final snapshot closes the charts' history; it stays on screen until the next run.
    recordSnapshot(event.ended.runId, event.ended.snapshot, sink);
    useSession.setState({ runStatus: "ended", ended: event.ended, runId: event.ended.runId });
    void loadFailures();
  } else if (event.type === "profileStep") {
    onProfileStep(event.step);
  } else if (event.type === "tuneTrial") {
    onTuneTrial(event.trial);
  } else if (event.type === "menuCommand") {
    void runMenuCommand(event.command);
  }
}

async function runMenuCommand(command: Extract<StudioEvent, { type: "menuCommand" }>["command"]): Promise<void> {
  if (typeof command === "object") {
    if ("openFile" in command) return openFile(command.openFile);
    if ("saveAs" in command) return void (await save(command.saveAs));
    return openExample(command.openExample);
  }
  switch (command) {
    case "new":
      return newPipeline();
    case "open":
      return showOpenDialog();
    case "save":
      return void (await save());
    case "saveAs":
      return showDialog({ kind: "saveAs" });
    case "exportTs":
      return exportCode("ts");
    case "exportPython":
      return exportCode("python");
    case "undo":
      return useDocument.getState().undo();
    case "redo":
      return useDocument.getState().redo();
    case "run":
      return startRun();
    case "stop":
      return stopRun("abort");
    case "profile":
      return useAnalysis.getState().setPanel("profile");
    case "autoTune":
      return useAnalysis.getState().setPanel("tune");
    case "runs":
      return showRuns();
  }
}

/** Wires the stores to the host: catalog, events, validation as you edit, the seed example. */
export function startSession(studioApi: StudioApi): () => void {
  setHostApi(studioApi);
  const offRunEnds = followRunEnds();
  const offEvents = studioApi.onEvent(handleEvent);
  const stopValidating = validateOnEdit();
  void loadCatalog();
  void openExample("seed-download-preprocess");
  return () => {
    offEvents();
    stopValidating();
    setHostApi(null);
    offRunEnds();
  };
}

function confirmDiscard(): boolean {
  return !useDocument.getState().dirty || window.confirm("Discard unsaved changes?");
}

function resetRunView(): void {
  useMetrics.getState().reset();
  resetLiveSeries();
  useSession.setState({ runStatus: "idle", runId: null, ended: null, failures: [], peek: null });
}

export async function newPipeline(): Promise<void> {
  if (!confirmDiscard()) return;
  const opened = await guarded(() => requireApi().request("newPipeline", {}));
  if (opened) {
    useDocument.getState().load(opened);
    resetRunView();
  }
}

export async function openExample(name: string): Promise<void> {
  if (!confirmDiscard()) return;
  const opened = await guarded(() => requireApi().request("openExample", { name }));
  if (opened) {
    useDocument.getState().load(opened);
    resetRunView();
    closeDialog();
  }
}

export async function openFile(path: string): Promise<void> {
  if (!confirmDiscard()) return;
  const opened = await guarded(() => requireApi().request("openFile", { path }));
  if (opened) {
    useDocument.getState().load(opened);
    resetRunView();
    closeDialog();
  }
}

export async function showOpenDialog(): Promise<void> {
  const lists = await guarded(async () => {
    const [examples, recent] = await Promise.all([requireApi().request("listExamples", {}), requireApi().request("listRecentFiles", {})]);
    return { examples, recent };
  });
  if (lists) showDialog({ kind: "open", ...lists });
}

export async function save(path: string | null = null): Promise<boolean> {
  const doc = useDocument.getState();
  if (path === null && doc.path === null) {
    showDialog({ kind: "saveAs" });
    return false;
  }
  const result = await guarded(() => requireApi().request("saveFile", { path, spec: toSpec(doc) }));
  if (!result) return false;
  useDocument.getState().markSaved(result.path);
  closeDialog();
  showNotice({ kind: "info", text: `Saved ${result.path}` });
  return true;
}

export async function exportCode(language: "ts" | "python"): Promise<void> {
  const result = await guarded(() => requireApi().request("exportCode", { spec: toSpec(useDocument.getState()), language }));
  if (result) showDialog({ kind: "export", language, code: result.code });
}

export async function startRun(): Promise<void> {
  const session = useSession.getState();
  if (isRunning(session.runStatus)) return;
  const validation = useValidation.getState().report;
  if (validation && !validation.runnable) return;
  const allowUserCode = confirmUserCode("Run it?");
  if (!allowUserCode) return;
  const doc = useDocument.getState();
  useMetrics.getState().reset();
  resetLiveSeries();
  useSession.setState({
    runStatus: "starting",
    runId: null,
    ended: null,
    bottleneck: null,
    failures: [],
    peek: null,
    runStages: doc.nodes.map((n) => n.id),
  });
  try {
    const { runId } = await requireApi().request("startRun", { spec: toSpec(doc), allowUserCode });
    const now = useSession.getState();
    if (now.runStatus === "starting" || (now.runStatus === "running" && !now.runId)) useSession.setState({ runId, runStatus: "running" });
    else if (!now.runId) useSession.setState({ runId });
  } catch (error) {
    useSession.setState({ runStatus: "idle" });
    showError(errorText(error));
  }
}

export async function stopRun(mode: "abort" | "drain"): Promise<void> {
  await guarded(() => requireApi().request("stopRun", { mode }));
}

export async function setPaused(paused: boolean): Promise<void> {
  await guarded(() => requireApi().request(paused ? "pauseRun" : "resumeRun", {}));
}

/** While running, a knob applies at once. */
export async function liveConcurrency(stage: string, concurrency: number): Promise<void> {
  const session = useSession.getState();
  if (!isRunning(session.runStatus) || !session.runStages.includes(stage)) return;
  await guarded(() => requireApi().request("setConcurrency", { stage, concurrency }));
}

export async function liveNumThreads(numThreads: number): Promise<void> {
  if (!isRunning(useSession.getState().runStatus)) return;
  await guarded(() => requireApi().request("setNumThreads", { numThreads }));
}

export async function loadFailures(): Promise<void> {
  const failures = await guarded(() => requireApi().request("getFailures", {}));
  // After a run ends the host may no longer hold its log: keep what was read while it ran.
  if (failures && (failures.length > 0 || !useSession.getState().ended)) useSession.setState({ failures });
}

export async function peekEdge(edgeId: string, from: string, to: string): Promise<void> {
  const result = await guarded(() => requireApi().request("peekEdge", { from, to }));
  if (result) useSession.setState({ peek: { edgeId, from, to, items: result.items } });
}
