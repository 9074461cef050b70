import { useEffect } from "react";
import { useDocument } from "../store/document.js";
import { useMetrics } from "../store/metrics.js";
import { isRunning, loadFailures, peekEdge, useSession } from "../store/session.js";

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export function StatusBar() {
  const summary = useMetrics((s) => s.summary);
  const runStatus = useSession((s) => s.runStatus);
  const ended = useSession((s) => s.ended);
  const connection = useSession((s) => s.connection);
  const bottleneck = useSession((s) => s.bottleneck);
  // The final snapshot's own state is the most precise word on how the run ended.
  const endState = ended
    ? ["completed", "failed", "stopped"].includes(ended.snapshot.state)
      ? ended.snapshot.state
      : ended.outcome
    : null;
  const state = endState
    ? endState
    : summary
      ? summary.paused
        ? "paused"
        : summary.draining
          ? "draining"
          : summary.state
      : runStatus === "starting"
        ? "starting"
        : "ready";
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span className={`state state--${state}`} data-testid="run-state">
        {state}
      </span>
      <span>elapsed {seconds(summary?.elapsedMs ?? 0)}</span>
      <span>
        delivered <b data-testid="items-delivered">{summary?.itemsDelivered ?? 0}</b>
      </span>
      <span data-testid="delivered-rate">{(summary?.deliveredPerSecond ?? 0).toFixed(1)} items/s</span>
      <span className={summary && summary.failures > 0 ? "bad" : ""}>
        failures <b data-testid="failures-count">{summary?.failures ?? 0}</b>
      </span>
      {summary && <span title="event-loop utilisation of the host">event loop {Math.round(summary.eventLoopUtilization * 100)} %</span>}
      {runStatus !== "idle" && bottleneck && (
        <span className="bottleneck-verdict" data-testid="bottleneck-verdict">
          {bottleneck.stage === null ? "Bottleneck: none" : `Bottleneck: ${bottleneck.stage} — ${bottleneck.reason}`}
        </span>
      )}
      <span className={`connection connection--${connection}`} data-testid="connection">
        {connection === "open" ? "connected" : connection === "closed" ? "disconnected" : "connecting…"}
      </span>
      {runStatus === "idle" && <span className="muted">Run to see live slots and queues</span>}
    </footer>
  );
}

function PoolPanel() {
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

function FailuresPanel() {
  const failures = useSession((s) => s.failures);
  const ended = useSession((s) => s.ended);
  const runStatus = useSession((s) => s.runStatus);
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
                item {f.itemPreview} · {f.attempts} attempt{f.attempts === 1 ? "" : "s"} · at {seconds(f.atMs)}
              </div>
            </li>
          ))}
      </ul>
    </section>
  );
}

function PeekPanel() {
  const peek = useSession((s) => s.peek);
  const running = useSession((s) => isRunning(s.runStatus));
  const { edgeId, from, to } = peek ?? {};
  // While the run goes on, the preview follows it.
  useEffect(() => {
    if (edgeId === undefined || from === undefined || to === undefined || !running) return;
    const timer = setInterval(() => void peekEdge(edgeId, from, to), 1000);
    return () => clearInterval(timer);
  }, [edgeId, from, to, running]);
  if (!peek) return null;
  return (
    <section className="panel" data-testid="peek-panel">
      <h3>
        Peek {peek.from} → {peek.to}
        <button type="button" className="link" onClick={() => useSession.setState({ peek: null })} aria-label="Close peek">
          ×
        </button>
      </h3>
      {peek.items.length === 0 ? (
        <div className="muted">Nothing passed yet.</div>
      ) : (
        <ol className="peek-items">
          {peek.items.map((item, i) => (
            <li key={i}>
              <code>{item}</code>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function RunPanels() {
  const runStatus = useSession((s) => s.runStatus);
  return (
    <div className="run-panels">
      <PoolPanel />
      <PeekPanel />
      <FailuresPanel />
      {runStatus !== "idle" && <div className="muted small hint">Click a queue to peek at the items that passed it.</div>}
    </div>
  );
}
