import { useEffect } from "react";
import { formatElapsed } from "../../engine/format.js";
import { useMetrics } from "../store/metrics.js";
import { isRunning, useRun } from "../store/run.js";
import { loadFailures } from "../store/runCommands.js";

/** The run's final error and its last 50 failed items, newest first; hidden while there are none. */
export function FailuresPanel() {
  const failures = useRun((s) => s.failures);
  const ended = useRun((s) => s.ended);
  const runStatus = useRun((s) => s.status);
  const failureCount = useMetrics((s) => s.summary?.failures ?? 0);
  useEffect(() => {
    if (isRunning(runStatus) && failureCount > 0) void loadFailures();
  }, [failureCount, runStatus]);
  if (!ended?.error && failures.length === 0) return null;
  return (
    <section className="panel panel--failures" data-testid="failures-panel">
      <h3>Failures</h3>
      {ended?.error && (
        <div className="final-error" role="alert" data-testid="final-error">
          <b>{ended.error.stage ? `Stage “${ended.error.stage}” failed` : "The pipeline failed"}</b>
          <div>{ended.error.message}</div>
        </div>
      )}
      <ul className="failure-list">
        {failures
          .slice(-50)
          .reverse()
          .map((f, i) => (
            <li key={`${f.atMs}-${i}`}>
              <b>{f.stage}</b> {f.errorName}: {f.message}
              <div className="muted small">
                item {f.itemPreview} · {f.attempts} attempt{f.attempts === 1 ? "" : "s"} · at {formatElapsed(f.atMs)}
              </div>
            </li>
          ))}
      </ul>
    </section>
  );
}
