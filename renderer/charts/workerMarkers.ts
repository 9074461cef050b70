import type { RemoteWorkerEvent } from "../api/types.js";
import { shortWorkerName, type WorkerEventRow } from "../store/workers.js";

/** A worker's join, leave or stall as a marker on the throughput chart. */
export interface ChartMarker {
  /** Seconds since the run started: the charts' x. */
  t: number;
  kind: RemoteWorkerEvent["kind"];
  worker: string;
  /** On the chart: a sign and the worker's short name. */
  label: string;
  /** In full, for the tooltip. */
  title: string;
}

/** Events of one worker and kind this close together are one marker (a worker joining two stages, eight jobs stalling at once). */
const MERGE_WITHIN_MS = 1000;

const SIGN: Record<RemoteWorkerEvent["kind"], string> = {
  joined: "+",
  refused: "✗",
  left: "−",
  stalled: "⚠",
  recovered: "✓",
  jobStalled: "⚠",
};

const WHAT: Record<RemoteWorkerEvent["kind"], string> = {
  joined: "joined",
  refused: "refused",
  left: "left",
  stalled: "stalled",
  recovered: "recovered",
  jobStalled: "lost a job's lock",
};

interface Group {
  atMs: number;
  kind: RemoteWorkerEvent["kind"];
  worker: string;
  stages: string[];
  details: string[];
}

/** The markers for a run's worker events (oldest first): one per worker, kind and moment. */
export function workerMarkers(events: readonly WorkerEventRow[]): ChartMarker[] {
  const groups: Group[] = [];
  for (const event of events) {
    const group = groups.find(
      (candidate) => candidate.worker === event.worker && candidate.kind === event.kind && event.atMs - candidate.atMs <= MERGE_WITHIN_MS,
    );
    if (group) {
      if (!group.stages.includes(event.stage)) group.stages.push(event.stage);
      if (!group.details.includes(event.detail)) group.details.push(event.detail);
      continue;
    }
    groups.push({ atMs: event.atMs, kind: event.kind, worker: event.worker, stages: [event.stage], details: [event.detail] });
  }
  return groups.map((group) => {
    const who = group.worker || "a worker";
    return {
      t: group.atMs / 1000,
      kind: group.kind,
      worker: group.worker,
      label: `${SIGN[group.kind]} ${shortWorkerName(who)}`,
      title: `${(group.atMs / 1000).toFixed(1)} s: ${who} ${WHAT[group.kind]} (${group.stages.join(", ")}): ${group.details.join("; ")}`,
    };
  });
}
