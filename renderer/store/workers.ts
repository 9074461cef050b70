import { create } from "zustand";
import type { PipelineSnapshot, RedisConnection, RemoteWorkerEvent, RemoteWorkerSnapshot } from "../api/types.js";

/** The Workers panel's figures: the remote workers serving the run's remote stages, their events and the run's Redis. */

/** One worker serving one remote stage (a worker serving two stages has a row for each). */
export interface WorkerRow extends RemoteWorkerSnapshot {
  stage: string;
}

export interface WorkerEventRow extends RemoteWorkerEvent {
  stage: string;
}

export interface RedisView {
  /** The password hidden. */
  url: string;
  connection: RedisConnection;
  awayMs: number;
  lastError: string | null;
}

export interface WorkersView {
  /** The run's remote stages, in pipeline order. */
  stages: string[];
  rows: WorkerRow[];
  /** Oldest first, every remote stage's together. */
  events: WorkerEventRow[];
  redis: RedisView;
}

/** What the panel shows of a snapshot; null when the run has no remote stage. */
export function workersView(snapshot: PipelineSnapshot): WorkersView | null {
  const remote = snapshot.stages.flatMap((stage) => (stage.remote ? [{ stage: stage.name, remote: stage.remote }] : []));
  if (remote.length === 0) return null;
  const rows = remote.flatMap(({ stage, remote: figures }) => figures.workers.map((worker) => ({ ...worker, stage })));
  const events = remote
    .flatMap(({ stage, remote: figures }) => figures.workerEvents.map((event) => ({ ...event, stage })))
    .sort((a, b) => a.atMs - b.atMs);
  // One Redis per run: every remote stage reports the same connection; the worst-off stage's error is the one to show.
  const first = remote[0].remote;
  const lastError = remote.map(({ remote: figures }) => figures.lastError).find((error) => error !== null) ?? null;
  return {
    stages: remote.map(({ stage }) => stage),
    rows,
    events,
    redis: { url: first.redisUrl, connection: first.redisConnection, awayMs: first.redisAwayMs, lastError },
  };
}

/** A worker's name as a slot or a chart marker has room for: long names keep their start and their end (often a pid). */
export function shortWorkerName(name: string, room = 10): string {
  if (name.length <= room) return name;
  const tail = Math.ceil((room - 1) / 2);
  return `${name.slice(0, room - 1 - tail)}…${name.slice(name.length - tail)}`;
}

/** The Workers tab's title: how many workers serve the run, and the Redis connection when it is not well ("" with no remote run). */
export function workersSummary(view: WorkersView | null): string {
  if (!view) return "";
  const serving = new Set(view.rows.filter((row) => row.connected && !row.refused).map((row) => row.name)).size;
  const redis = view.redis.connection === "connected" || view.redis.connection === "closed" ? "" : ` · Redis ${view.redis.connection}`;
  return `${serving} serving${redis}`;
}

interface WorkersState {
  runId: string | null;
  view: WorkersView | null;
}

export const useWorkers = create<WorkersState>()(() => ({ runId: null, view: null }));

/** A snapshot of the run on show (~10 Hz): the panel re-renders with it, the chart markers follow. */
export function ingestWorkers(runId: string, snapshot: PipelineSnapshot): void {
  useWorkers.setState({ runId, view: workersView(snapshot) });
}

export function resetWorkers(): void {
  useWorkers.setState({ runId: null, view: null });
}
