import { formatElapsed, formatRate } from "../../engine/format.js";
import { useConnection } from "../store/hostConnection.js";
import { useMetrics } from "../store/metrics.js";
import { useRun } from "../store/run.js";

/** The run at a glance along the bottom: state, elapsed, items delivered, failures, the bottleneck verdict, the connection. */
export function StatusBar() {
  const summary = useMetrics((s) => s.summary);
  const runStatus = useRun((s) => s.status);
  const ended = useRun((s) => s.ended);
  const connection = useConnection((s) => s.state);
  const bottleneck = useRun((s) => s.bottleneck);
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
      <span>elapsed {formatElapsed(summary?.elapsedMs ?? 0)}</span>
      <span>
        delivered <b data-testid="items-delivered">{summary?.itemsDelivered ?? 0}</b>
      </span>
      <span data-testid="delivered-rate">{formatRate(summary?.deliveredPerSecond ?? 0)} items/s</span>
      <span className={summary && summary.failures > 0 ? "bad" : ""}>
        failures <b data-testid="failures-count">{summary?.failures ?? 0}</b>
      </span>
      {summary && summary.readiness !== null && summary.readiness !== undefined && (
        <span title="the share of the consumer's time not spent waiting for an item" data-testid="readiness">
          readiness {(summary.readiness * 100).toFixed(1)} %
        </span>
      )}
      {summary && summary.cpu !== undefined && (
        <span title="process CPU time (all threads) ÷ (elapsed × cores)" data-testid="cpu-share">
          CPU {Math.round(summary.cpu * 100)} %
        </span>
      )}
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
