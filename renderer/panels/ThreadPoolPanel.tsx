import { useDocument } from "../store/document.js";
import { useMetrics } from "../store/metrics.js";

/** The worker pool: a square per thread (busy ones lit), tasks queued, calls done. */
export function ThreadPoolPanel() {
  const pool = useMetrics((s) => s.summary?.pool ?? null);
  const numThreads = useDocument((s) => s.build.numThreads);
  const threads = pool?.numThreads ?? numThreads;
  const busy = pool?.busyThreads ?? 0;
  return (
    <section className="panel" data-testid="pool-panel">
      <h3>Thread pool</h3>
      <div className="threads" aria-label={`${busy} of ${threads} threads busy`}>
        {Array.from({ length: threads }, (_, i) => (
          <span key={i} className={`thread${i < busy ? " busy" : ""}`} />
        ))}
      </div>
      <div>
        <b data-testid="pool-busy">{busy}</b> of {threads} threads busy · <b data-testid="pool-waiting">{pool?.waitingTasks ?? 0}</b> tasks
        queued
      </div>
      {pool && (
        <div className="muted small">
          {pool.completedCalls} calls done{pool.workerDeaths > 0 ? ` · ${pool.workerDeaths} worker deaths` : ""}
        </div>
      )}
      {!pool && <div className="muted small">No pool stage running.</div>}
    </section>
  );
}
