import { create } from "zustand";
import type { PipelineSnapshot, QueueSnapshot, RemoteWorkerSnapshot, StageSnapshot } from "../api/types.js";
import { edgeId } from "../graph/model.js";

/** What a node draws while running; objects are reused when nothing changed, so only changed nodes re-render. */
export interface StageMetrics {
  state: StageSnapshot["state"];
  executor: StageSnapshot["executor"];
  concurrency: number;
  inFlight: number;
  awaitingOutput: number;
  /** Pool stages: calls running on a thread, and calls waiting for one; remote stages: running on a worker, and waiting in Redis. */
  holdingThread: number;
  waitingThread: number;
  /** Remote stages: the workers serving it now (names), and their slots. */
  workers: string;
  workerSlots: number;
  /** Remote stages: the worker running each call on a worker, in slot order, joined by newlines ("" where unknown). */
  slotWorkers: string;
  /** Remote stages: the jobs each worker runs at once for it (the live knob's value, else its workers' own), null if none serves it. */
  workerThreads: number | null;
  throughput: number;
  /** Mean busy slots ÷ concurrency over the recent window (0..1), to two places. */
  busyFraction: number;
  p50Ms: number;
  p90Ms: number;
  itemsIn: number;
  itemsOut: number;
  failures: number;
  blocksEventLoop: boolean;
  /** Routes: items sent down each path so far; null for other stages. */
  routed: number[] | null;
}

export interface QueueMetrics {
  depth: number;
  capacity: number;
  blockedFraction: number;
}

/** The whole-run figures of a snapshot (the status bar and the pool panel). */
export type RunSummary = Pick<
  PipelineSnapshot,
  "state" | "paused" | "draining" | "elapsedMs" | "itemsDelivered" | "deliveredPerSecond" | "failures" | "pool" | "readiness" | "cpu"
> & {
  eventLoopUtilization: number;
};

interface MetricsState {
  runId: string | null;
  stages: Record<string, StageMetrics>;
  queues: Record<string, QueueMetrics>;
  summary: RunSummary | null;
  ingest(runId: string, snapshot: PipelineSnapshot, sinkId: string | null): void;
  reset(): void;
}

function shallowEqual<T extends object>(a: T | undefined, b: T): boolean {
  if (!a) return false;
  for (const key of Object.keys(b) as (keyof T)[]) if (a[key] !== b[key]) return false;
  return true;
}

const round = (value: number, digits = 1): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/**
 * Which worker runs each of `running` calls, in slot order, as far as the workers' busy counts
 * (read about once a second) tell; "" for a call they do not account for yet.
 */
export function slotWorkers(workers: readonly RemoteWorkerSnapshot[], running: number): string[] {
  const names: string[] = [];
  for (const worker of workers) {
    if (!worker.connected || worker.refused) continue;
    for (let i = 0; i < worker.busy && names.length < running; i++) names.push(worker.name);
  }
  while (names.length < running) names.push("");
  return names;
}

function stageMetrics(stage: StageSnapshot, holdingThread: number, waitingThread: number): StageMetrics {
  const serving = stage.remote?.workers.filter((worker) => worker.connected && !worker.refused) ?? [];
  const servingThreads = serving.length > 0 ? Math.max(...serving.map((worker) => worker.threads)) : null;
  return {
    workers: serving.map((worker) => worker.name).join(", "),
    workerSlots: stage.remote?.workerSlots ?? 0,
    slotWorkers: stage.remote ? slotWorkers(serving, holdingThread).join("\n") : "",
    workerThreads: stage.remote ? (stage.remote.workerThreads ?? servingThreads) : null,
    state: stage.state,
    executor: stage.executor,
    concurrency: stage.concurrency,
    inFlight: stage.inFlight,
    awaitingOutput: stage.awaitingOutput,
    holdingThread,
    waitingThread,
    throughput: round(stage.throughput),
    busyFraction: round(stage.busyFraction, 2),
    p50Ms: round(stage.recentLatencyMs.p50Ms),
    p90Ms: round(stage.recentLatencyMs.p90Ms),
    itemsIn: stage.itemsIn,
    itemsOut: stage.itemsOut,
    failures: stage.failures,
    blocksEventLoop: stage.blocksEventLoop,
    routed: stage.routed ?? null,
  };
}

/** Queue snapshots name producers and a consumer ("sink" for the last queue); edges are keyed `from->to`. */
export function queueEdges(queue: QueueSnapshot, sinkId: string | null): string[] {
  const to = queue.to === "sink" && sinkId ? sinkId : queue.to;
  return queue.from.map((from) => edgeId(from, to));
}

export const useMetrics = create<MetricsState>()((set, get) => ({
  runId: null,
  stages: {},
  queues: {},
  summary: null,

  ingest(runId, snapshot, sinkId) {
    const prev = get();
    const sameRun = prev.runId === runId;

    const stages: Record<string, StageMetrics> = {};
    for (const stage of snapshot.stages) {
      // Redis counts are polled about once a second: bounded by what the stage has in flight now.
      const waiting =
        stage.executor === "pool" ? stage.waitingForThread : stage.remote ? Math.min(stage.remote.waiting, stage.inFlight) : 0;
      const holding = stage.executor === "pool" || stage.remote ? stage.inFlight - waiting : 0;
      const next = stageMetrics(stage, holding, waiting);
      const old = sameRun ? prev.stages[stage.name] : undefined;
      // The same counts: the same array, so a route's labels re-render only when its figures move.
      if (old?.routed && next.routed && old.routed.join() === next.routed.join()) next.routed = old.routed;
      stages[stage.name] = old && shallowEqual(old, next) ? old : next;
    }

    const queues: Record<string, QueueMetrics> = {};
    for (const queue of snapshot.queues) {
      const next: QueueMetrics = { depth: queue.depth, capacity: queue.capacity, blockedFraction: round(queue.blockedFraction, 2) };
      for (const id of queueEdges(queue, sinkId)) {
        const old = sameRun ? prev.queues[id] : undefined;
        queues[id] = old && shallowEqual(old, next) ? old : next;
      }
    }

    const summary: RunSummary = {
      state: snapshot.state,
      paused: snapshot.paused,
      draining: snapshot.draining,
      elapsedMs: snapshot.elapsedMs,
      itemsDelivered: snapshot.itemsDelivered,
      deliveredPerSecond: round(snapshot.deliveredPerSecond),
      failures: snapshot.failures,
      pool: snapshot.pool,
      readiness: snapshot.readiness,
      cpu: snapshot.cpu,
      eventLoopUtilization: round(snapshot.process.eventLoopUtilization, 2),
    };
    set({ runId, stages, queues, summary });
  },

  reset() {
    set({ runId: null, stages: {}, queues: {}, summary: null });
  },
}));

/** Selectors: a node subscribes to its own stage, an edge to its own queue. */
export const useStageMetrics = (id: string): StageMetrics | undefined => useMetrics((s) => s.stages[id]);
export const useQueueMetrics = (id: string): QueueMetrics | undefined => useMetrics((s) => s.queues[id]);
