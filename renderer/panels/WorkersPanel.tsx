import { formatElapsed, formatRate } from "../../engine/format.js";
import { useWorkers, type RedisView, type WorkerEventRow, type WorkerRow } from "../store/workers.js";

const CONNECTION_WORDS: Record<RedisView["connection"], string> = {
  connecting: "connecting",
  connected: "connected",
  reconnecting: "reconnecting",
  lost: "lost",
  closed: "closed (the run ended)",
};

/** The run's Redis: where, and how the connection is (away for how long, what went wrong last). */
function RedisLine({ redis }: { redis: RedisView }) {
  const away = redis.connection === "reconnecting" || redis.connection === "lost";
  return (
    <div className={`redis-line redis-line--${redis.connection}`} data-testid="redis-status" data-connection={redis.connection}>
      <span className="redis-dot" aria-hidden="true" />
      Redis <code>{redis.url}</code> · <b>{CONNECTION_WORDS[redis.connection]}</b>
      {away && ` for ${formatElapsed(redis.awayMs)}`}
      {redis.connection === "lost" && (
        <span className="muted">
          {" "}
          — calls time out and retry by their stage's policy; the run fails if Redis stays away past their deadline
        </span>
      )}
      {redis.lastError && away && <span className="muted"> ({redis.lastError})</span>}
    </div>
  );
}

function workerState(row: WorkerRow): { word: string; className: string } {
  if (row.refused) return { word: `refused: ${row.refused}`, className: "refused" };
  if (!row.connected) return { word: "left", className: "left" };
  if (row.stalled) return { word: "stalled: no heartbeat", className: "stalled" };
  return { word: "serving", className: "serving" };
}

function WorkerTable({ rows, stages }: { rows: WorkerRow[]; stages: string[] }) {
  const showStage = stages.length > 1;
  return (
    <table className="workers-table" data-testid="workers-table">
      <thead>
        <tr>
          <th>worker</th>
          {showStage && <th>stage</th>}
          <th>host</th>
          <th className="num">threads</th>
          <th className="num">busy</th>
          <th className="num">done</th>
          <th className="num">items/s</th>
          <th className="num">heartbeat</th>
          <th>state</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const state = workerState(row);
          return (
            <tr
              key={`${row.stage}\u0000${row.name}`}
              className={`worker-row worker-row--${state.className}`}
              data-testid={`worker-row-${row.name}`}
              data-stage={row.stage}
              data-state={state.className}
            >
              <td className="worker-name">{row.name}</td>
              {showStage && <td>{row.stage}</td>}
              <td>{row.host || "–"}</td>
              <td className="num" data-testid={`worker-threads-${row.name}`}>
                {row.threads}
              </td>
              <td className="num" data-testid={`worker-busy-${row.name}`}>
                {row.busy}
              </td>
              <td className="num" data-testid={`worker-done-${row.name}`}>
                {row.done}
              </td>
              <td className="num">{formatRate(row.itemsPerSecond)}</td>
              <td className="num">{row.connected ? formatElapsed(row.heartbeatAgeMs) : "–"}</td>
              <td className="worker-state" title={state.word}>
                {state.word}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function EventList({ events }: { events: WorkerEventRow[] }) {
  if (events.length === 0) return null;
  // Newest first: what just happened is what the user looks for.
  const newest = [...events].reverse();
  return (
    <ol className="worker-events" data-testid="worker-events" aria-label="Worker events">
      {newest.map((event, i) => (
        <li key={`${event.atMs}\u0000${event.stage}\u0000${event.worker}\u0000${event.kind}\u0000${i}`} data-kind={event.kind}>
          <span className="muted">{formatElapsed(event.atMs)}</span> <b>{event.worker || "a worker"}</b>{" "}
          {event.kind === "jobStalled" ? "job stalled" : event.kind}{" "}
          <span className="muted">
            ({event.stage}): {event.detail}
          </span>
        </li>
      ))}
    </ol>
  );
}

/** Every worker serving the run's remote stages, the run's Redis, and what happened to the workers. */
export function WorkersPanel() {
  const view = useWorkers((s) => s.view);
  if (!view) {
    return (
      <div className="workers-panel muted" data-testid="workers-panel">
        Run a pipeline with a remote stage to see the workers serving it: their threads, busy slots, jobs done, items/s and heartbeats, and
        the run&apos;s Redis.
      </div>
    );
  }
  return (
    <div className="workers-panel" data-testid="workers-panel">
      <RedisLine redis={view.redis} />
      {view.rows.length > 0 ? (
        <WorkerTable rows={view.rows} stages={view.stages} />
      ) : (
        <p className="muted" data-testid="workers-none">
          No worker serves {view.stages.join(", ")} yet: start one where there are cores to spare,{" "}
          <code>npx pipeline-studio worker --redis {view.redis.url}</code> (the password in place of ***), or run on local workers (with
          nothing selected, &ldquo;local workers for remote stages&rdquo;).
        </p>
      )}
      <EventList events={view.events} />
    </div>
  );
}
