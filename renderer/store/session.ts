import type { StudioApi, StudioEvent } from "../api/types.js";
import { toSpec } from "../graph/model.js";
import { useDocument } from "./document.js";
import { loadCatalog } from "./catalog.js";
import { closeDialog, showDialog } from "./dialog.js";
import { errorText, guarded, requireApi, setHostApi } from "./hostConnection.js";
import { showError, showNotice } from "./notice.js";
import { isRunning, resetRunView, useRun } from "./run.js";
import { onRunEnded, onRunStats } from "./runEvents.js";
import { confirmUserCode, useValidation, validateOnEdit } from "./validation.js";
import { onProfileStep, onTuneTrial, useAnalysis } from "./analysis.js";
import { followRunEnds, showRuns } from "./runs.js";

function handleEvent(event: StudioEvent): void {
  if (event.type === "runStats") {
    onRunStats(event);
  } else if (event.type === "runEnded") {
    if (onRunEnded(event)) void loadFailures();
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

export async function newPipeline(): Promise<void> {
  if (!confirmDiscard()) return;
  const opened = await guarded(() => requireApi().request("newPipeline", {}));
  if (opened) {
    useDocument.getState().load(opened);
    resetRunView("idle");
  }
}

export async function openExample(name: string): Promise<void> {
  if (!confirmDiscard()) return;
  const opened = await guarded(() => requireApi().request("openExample", { name }));
  if (opened) {
    useDocument.getState().load(opened);
    resetRunView("idle");
    closeDialog();
  }
}

export async function openFile(path: string): Promise<void> {
  if (!confirmDiscard()) return;
  const opened = await guarded(() => requireApi().request("openFile", { path }));
  if (opened) {
    useDocument.getState().load(opened);
    resetRunView("idle");
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
  if (isRunning(useRun.getState().status)) return;
  const validation = useValidation.getState().report;
  if (validation && !validation.runnable) return;
  const allowUserCode = confirmUserCode("Run it?");
  if (!allowUserCode) return;
  const doc = useDocument.getState();
  const stages = doc.nodes.map((n) => n.id);
  resetRunView("starting", stages);
  try {
    const { runId } = await requireApi().request("startRun", { spec: toSpec(doc), allowUserCode });
    const now = useRun.getState();
    if (now.status === "starting" || (now.status === "running" && !now.id)) useRun.setState({ id: runId, status: "running" });
    else if (!now.id) useRun.setState({ id: runId });
  } catch (error) {
    useRun.setState({ status: "idle" });
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
  const run = useRun.getState();
  if (!isRunning(run.status) || !run.stages.includes(stage)) return;
  await guarded(() => requireApi().request("setConcurrency", { stage, concurrency }));
}

export async function liveNumThreads(numThreads: number): Promise<void> {
  if (!isRunning(useRun.getState().status)) return;
  await guarded(() => requireApi().request("setNumThreads", { numThreads }));
}

export async function loadFailures(): Promise<void> {
  const failures = await guarded(() => requireApi().request("getFailures", {}));
  // After a run ends the host may no longer hold its log: keep what was read while it ran.
  if (failures && (failures.length > 0 || !useRun.getState().ended)) useRun.setState({ failures });
}

export async function peekEdge(edgeId: string, from: string, to: string): Promise<void> {
  const result = await guarded(() => requireApi().request("peekEdge", { from, to }));
  if (result) useRun.setState({ peek: { edgeId, from, to, items: result.items } });
}
