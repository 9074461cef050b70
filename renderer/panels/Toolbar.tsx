import { useEffect, useRef } from "react";
import { useAutoLayout } from "../canvas/useAutoLayout.js";
import { useDocument } from "../store/document.js";
import { cancelAnalysis, useAnalysis } from "../store/analysis.js";
import { showDialog } from "../store/dialog.js";
import { downloadPipeline } from "../store/downloads.js";
import { useMetrics } from "../store/metrics.js";
import { showRuns } from "../store/runsDialog.js";
import { exportCode, newPipeline, save, showOpenDialog } from "../store/fileCommands.js";
import { isRunning, useRun } from "../store/run.js";
import { setPaused, startRun, stopRun } from "../store/runCommands.js";
import { fileName } from "./fileName.js";
import { LockIcon } from "./LockIcon.js";
import { OverflowMenu, type ToolbarAction } from "./OverflowMenu.js";
import { UPLOAD_TITLE, UploadInput } from "./UploadButton.js";
import { useOverflowCount } from "./useOverflowCount.js";
import { useRunBlocker } from "./useRunBlocker.js";

/**
 * The less-used buttons, first to go into the "⋯" menu when the row is short (Open, Save and the
 * run controls always stay on it).
 */
const COLLAPSE_ORDER = [
  "download",
  "upload",
  "export-python",
  "export-ts",
  "save-as",
  "auto-layout",
  "runs",
  "auto-tune",
  "profile",
  "redo",
  "undo",
  "new",
] as const;
type CollapsibleId = (typeof COLLAPSE_ORDER)[number];

/** One row, always: Run and Stop never wrap out of sight; what does not fit goes into "⋯" (useOverflowCount). */
export function Toolbar() {
  const path = useDocument((s) => s.path);
  const uploaded = useDocument((s) => s.uploaded);
  const dirty = useDocument((s) => s.dirty);
  const canUndo = useDocument((s) => s.past.length > 0);
  const canRedo = useDocument((s) => s.future.length > 0);
  const runStatus = useRun((s) => s.status);
  const paused = useMetrics((s) => s.summary?.paused ?? false);
  const draining = useMetrics((s) => s.summary?.draining ?? false);
  const blocker = useRunBlocker();
  const hostActivity = useRun((s) => s.hostActivity);
  // A profile started by another page (or before a reload) is the host's too: Stop cancels it.
  const profiling = useAnalysis((s) => s.profile.status === "running") || hostActivity === "profile";
  const tuning = useAnalysis((s) => s.tune.status === "running");
  const autoLayout = useAutoLayout();
  const editLock = useDocument((s) => s.editLock);
  const running = isRunning(runStatus);
  const repeatSources = useRun((s) => s.repeatSources);
  const title = path ? fileName(path) : (uploaded?.name ?? fileName(null));
  const row = useRef<HTMLElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const measurer = useRef<HTMLDivElement>(null);
  const uploadInput = useRef<HTMLInputElement>(null);
  const hiddenCount = useOverflowCount({ row, content, measurer });

  useEffect(() => {
    document.title = `${dirty ? "● " : ""}${title} — Pipeline Studio`;
  }, [dirty, title]);

  const actions: Record<CollapsibleId, ToolbarAction> = {
    new: { id: "new", label: "New", run: () => void newPipeline(), disabled: editLock !== null, title: editLock ?? undefined },
    "save-as": { id: "save-as", label: "Save As", run: () => showDialog({ kind: "saveAs" }) },
    upload: { id: "upload", label: "Upload…", run: () => uploadInput.current?.click(), title: UPLOAD_TITLE },
    download: {
      id: "download",
      label: "Download",
      run: () => void downloadPipeline(),
      title: "Download the pipeline as a .pipeline.json file (what Save writes)",
    },
    "export-ts": { id: "export-ts", label: "Export TS", run: () => void exportCode("ts") },
    "export-python": { id: "export-python", label: "Export Python", run: () => void exportCode("python") },
    undo: {
      id: "undo",
      label: "Undo",
      run: () => useDocument.getState().undo(),
      disabled: !canUndo || editLock !== null,
      title: editLock ?? "Ctrl/Cmd-Z",
    },
    redo: {
      id: "redo",
      label: "Redo",
      run: () => useDocument.getState().redo(),
      disabled: !canRedo || editLock !== null,
      title: editLock ?? "Shift-Ctrl/Cmd-Z",
    },
    "auto-layout": { id: "auto-layout", label: "Auto-layout", run: () => void autoLayout() },
    runs: { id: "runs", label: "Runs", run: () => void showRuns(), title: "Recent runs of this pipeline; pick two to compare" },
    profile: {
      id: "profile",
      label: "Profile",
      run: () => useAnalysis.getState().setPanel("profile"),
      title: "Measure each stage at concurrency 1, 2, 4, …",
    },
    "auto-tune": {
      id: "auto-tune",
      label: "Auto-tune",
      run: () => useAnalysis.getState().setPanel("tune"),
      title: "Search concurrency and threads for the highest throughput",
    },
  };
  const hidden = new Set<CollapsibleId>(COLLAPSE_ORDER.slice(0, hiddenCount));
  const button = (id: CollapsibleId, testId?: string) => {
    if (hidden.has(id)) return null;
    const action = actions[id];
    return (
      <button type="button" onClick={action.run} disabled={action.disabled} title={action.title} data-testid={testId}>
        {action.label}
      </button>
    );
  };
  // In the menu in the row's own order.
  const overflow = (Object.keys(actions) as CollapsibleId[]).filter((id) => hidden.has(id)).map((id) => actions[id]);

  return (
    <header className="toolbar" role="toolbar" aria-label="Pipeline" ref={row} data-testid="toolbar">
      <div className="toolbar-row" ref={content}>
        <div className="brand">Pipeline Studio</div>
        <div
          className="doc-title"
          data-testid="doc-title"
          title={
            path ?? (uploaded ? `${uploaded.name}, uploaded: relative paths inside resolve against ${uploaded.baseDir}` : "not saved yet")
          }
        >
          <span className="doc-file">{title}</span>
          {dirty && (
            <span className="dirty-dot" data-testid="dirty-dot" aria-label="unsaved changes" title="unsaved changes">
              ●
            </span>
          )}
        </div>
        <div className="group">
          {button("new")}
          <button type="button" onClick={() => void showOpenDialog()}>
            Open
          </button>
          <button
            type="button"
            onClick={() => void save()}
            title={uploaded ? "Uploaded: choose where the host saves it (or download it)" : "Ctrl/Cmd-S"}
          >
            Save
          </button>
          {button("save-as")}
          {button("upload")}
          {button("download")}
          {button("export-ts")}
          {button("export-python")}
          <UploadInput inputRef={uploadInput} testId="upload-input" />
        </div>
        <div className="group">
          {button("undo")}
          {button("redo")}
          {button("auto-layout")}
        </div>
        <div className="group run-group">
          <button
            type="button"
            className="primary"
            onClick={() => void startRun()}
            disabled={running || profiling || blocker !== null}
            title={blocker ?? (profiling ? "a profile is in progress" : "Run the pipeline")}
          >
            ▶ Run
          </button>
          <button
            type="button"
            onClick={() => void (running ? stopRun("abort") : cancelAnalysis())}
            disabled={!running && !profiling}
            title={running ? "Abort now" : "Cancel the profile"}
          >
            ■ Stop
          </button>
          <button
            type="button"
            onClick={() => void stopRun("drain")}
            disabled={!running || draining}
            title="Take no new source items, finish what is inside"
          >
            Drain
          </button>
          <button
            type="button"
            onClick={() => void setPaused(!paused)}
            disabled={!running || tuning}
            title={tuning ? "auto-tune is measuring this run" : undefined}
          >
            {paused ? "Resume" : "Pause"}
          </button>
          <label
            className="repeat-sources"
            title="Demo mode: each source starts again when it ends, so the run goes on until Stop or Drain (a run option, not saved in the file)"
          >
            <input
              type="checkbox"
              checked={repeatSources}
              disabled={running}
              onChange={(event) => useRun.setState({ repeatSources: event.target.checked })}
              data-testid="repeat-sources"
            />
            Repeat sources
          </label>
          {button("runs")}
        </div>
        <div className="group">
          {button("profile", "open-profile")}
          {button("auto-tune", "open-tune")}
        </div>
        {editLock && (
          <div
            className="edit-lock"
            data-testid="edit-lock"
            role="status"
            title={`${editLock}. Structural edits are refused; live knobs still apply`}
          >
            <LockIcon /> <span className="edit-lock-text">{editLock}</span>
          </div>
        )}
        <OverflowMenu actions={overflow} />
      </div>
      <div className="toolbar-measurer" ref={measurer} aria-hidden="true">
        {COLLAPSE_ORDER.map((id) => (
          <button key={id} type="button" tabIndex={-1}>
            {actions[id].label}
          </button>
        ))}
        <button type="button" tabIndex={-1} className="overflow-menu-button">
          ⋯
        </button>
      </div>
    </header>
  );
}
