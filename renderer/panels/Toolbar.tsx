import { useEffect } from "react";
import { useAutoLayout } from "../canvas/useAutoLayout.js";
import { useDocument } from "../store/document.js";
import { cancelAnalysis, useAnalysis } from "../store/analysis.js";
import { showDialog } from "../store/dialog.js";
import { useMetrics } from "../store/metrics.js";
import { showRuns } from "../store/runsDialog.js";
import { exportCode, newPipeline, save, showOpenDialog } from "../store/fileCommands.js";
import { isRunning, useRun } from "../store/run.js";
import { setPaused, startRun, stopRun } from "../store/runCommands.js";
import { fileName } from "./fileName.js";
import { useRunBlocker } from "./useRunBlocker.js";
import { LockIcon } from "./LockIcon.js";

export function Toolbar() {
  const path = useDocument((s) => s.path);
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
  const title = fileName(path);

  useEffect(() => {
    document.title = `${dirty ? "● " : ""}${title} — Pipeline Studio`;
  }, [dirty, title]);

  return (
    <header className="toolbar" role="toolbar" aria-label="Pipeline">
      <div className="brand">Pipeline Studio</div>
      <div className="doc-title" data-testid="doc-title" title={path ?? "not saved yet"}>
        <span className="doc-file">{title}</span>
        {dirty && (
          <span className="dirty-dot" data-testid="dirty-dot" aria-label="unsaved changes" title="unsaved changes">
            ●
          </span>
        )}
      </div>
      <div className="group">
        <button type="button" onClick={() => void newPipeline()} disabled={editLock !== null} title={editLock ?? undefined}>
          New
        </button>
        <button type="button" onClick={() => void showOpenDialog()}>
          Open
        </button>
        <button type="button" onClick={() => void save()} title="Ctrl/Cmd-S">
          Save
        </button>
        <button type="button" onClick={() => showDialog({ kind: "saveAs" })}>
          Save As
        </button>
        <button type="button" onClick={() => void exportCode("ts")}>
          Export TS
        </button>
        <button type="button" onClick={() => void exportCode("python")}>
          Export Python
        </button>
      </div>
      <div className="group">
        <button
          type="button"
          onClick={() => useDocument.getState().undo()}
          disabled={!canUndo || editLock !== null}
          title={editLock ?? "Ctrl/Cmd-Z"}
        >
          Undo
        </button>
        <button
          type="button"
          onClick={() => useDocument.getState().redo()}
          disabled={!canRedo || editLock !== null}
          title={editLock ?? "Shift-Ctrl/Cmd-Z"}
        >
          Redo
        </button>
        <button type="button" onClick={() => void autoLayout()}>
          Auto-layout
        </button>
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
        <button type="button" onClick={() => void showRuns()} title="Recent runs of this pipeline; pick two to compare">
          Runs
        </button>
      </div>
      <div className="group">
        <button
          type="button"
          onClick={() => useAnalysis.getState().setPanel("profile")}
          title="Measure each stage at concurrency 1, 2, 4, …"
          data-testid="open-profile"
        >
          Profile
        </button>
        <button
          type="button"
          onClick={() => useAnalysis.getState().setPanel("tune")}
          title="Search concurrency and threads for the highest throughput"
          data-testid="open-tune"
        >
          Auto-tune
        </button>
      </div>
      {editLock && (
        <div className="edit-lock" data-testid="edit-lock" role="status" title="Structural edits are refused; live knobs still apply">
          <LockIcon /> {editLock}
        </div>
      )}
      {blocker && !running && (
        <div className="run-blocker" data-testid="run-blocker" role="status">
          Can’t run: {blocker}
        </div>
      )}
    </header>
  );
}
