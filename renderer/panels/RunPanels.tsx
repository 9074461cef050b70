import { useRun } from "../store/run.js";
import { FailuresPanel } from "./FailuresPanel.js";
import { PeekPanel } from "./PeekPanel.js";
import { ThreadPoolPanel } from "./ThreadPoolPanel.js";

/** The column under the inspector about the run: thread pool, peek, failures. */
export function RunPanels() {
  const runStatus = useRun((s) => s.status);
  return (
    <div className="run-panels">
      <ThreadPoolPanel />
      <PeekPanel />
      <FailuresPanel />
      {runStatus !== "idle" && <div className="muted small hint">Click a queue to peek at the items that passed it.</div>}
    </div>
  );
}
