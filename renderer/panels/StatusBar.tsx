import { formatElapsed, formatRate } from "../../engine/format.js";
import { useConnection } from "../store/hostConnection.js";
import { useMetrics } from "../store/metrics.js";
import { useRun } from "../store/run.js";

/** The whole verdict, for its tooltip: over what it was judged, its reason, and each stage's diagnosis with the numbers behind it. */
function verdictDetails(verdict: NonNullable<ReturnType<typeof useRun.getState>["bottleneck"]>, ended: boolean): string {
  const over = ended
    ? "Judged over the whole run."
    : "Judged over the last second or two (it moves to another stage only when two judgements in a row agree).";
  const head =
    verdict.stage === null ? "Bottleneck: none — no stage holds the pipeline back." : `Bottleneck: ${verdict.stage} — ${verdict.reason}`;
  const stages = verdict.stages.map((s) => `${s.stage}: ${s.condition}, ${s.explanation}`);
  return [head, over, ...stages].join("\n");
}

/** The run at a glance along the bottom: state, elapsed, items delivered, failures, the bottleneck verdict, the connection. */
export function StatusBar() {
  const summary = useMetrics((s) => s.summary);
  const runStatus = useRun((s) => s.status);
  const ended = useRun((s) => s.ended);
  const connection = useConnection((s) => s.state);
  const bottleneck = useRun((s) => s.bottleneck);
  const hostActivity = useRun((s) => s.hostActivity);
  const repeating = useRun((s) => s.repeating && s.status === "running");
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
      {repeating && hostActivity === "run" && (
        <span className="host-activity" data-testid="repeating" title="The sources start again when they end: Stop or Drain ends the run">
          sources repeat
        </span>
      )}
      {(hostActivity === "tune" || hostActivity === "profile") && (
        <span className="host-activity" data-testid="host-activity">
          {hostActivity === "tune" ? "auto-tuning" : "profiling"}
        </span>
      )}
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
        <span
          className={`bottleneck-verdict${bottleneck.stage === null ? " bottleneck-verdict--none" : ""}`}
          data-testid="bottleneck-verdict"
          tabIndex={0}
          title={verdictDetails(bottleneck, ended !== null)}
        >
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
