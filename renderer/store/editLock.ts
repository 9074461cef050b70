import { useAnalysis } from "./analysis.js";
import { useDocument } from "./document.js";
import { clearActivityNotice } from "./notice.js";
import { isRunning, useRun } from "./run.js";

/**
 * Why the graph on screen may not change now: the run (or profile, or auto-tune) uses it, here or
 * from another page; the graph shown must stay the graph that runs. Null when it may.
 */
export function editLockReason(): string | null {
  const { status, hostActivity, runGraph } = useRun.getState();
  const { profile, tune } = useAnalysis.getState();
  if (tune.status === "running" || hostActivity === "tune") return "Stop auto-tune to change the graph";
  if (profile.status === "running" || hostActivity === "profile") return "Cancel the profile to change the graph";
  // A page holding another graph than the run's edits its own document freely.
  if ((isRunning(status) || hostActivity === "run") && !runGraph) return "Stop the run to change the graph";
  return null;
}

/** Keeps the document's lock in step with the run and the analysis (an edit refused under the old lock is no longer news); returns the stop. */
export function lockEditsWhileBusy(): () => void {
  const update = () => {
    const reason = editLockReason();
    if (reason === useDocument.getState().editLock) return;
    useDocument.getState().setEditLock(reason);
    clearActivityNotice();
  };
  update();
  const offRun = useRun.subscribe(update);
  const offAnalysis = useAnalysis.subscribe(update);
  return () => {
    offRun();
    offAnalysis();
  };
}
