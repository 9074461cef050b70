import type { QueueSnapshot, RemoteStageSnapshot, RemoteWorkerSnapshot, StageSnapshot } from "../stats/snapshot.js";

/** Hand-made stats for tests of what reads them (tables, verdicts, reports): zeros unless given. */

export const latencyOf = (p50Ms: number, spread = { mean: 1, p90: 2, p99: 3, max: 4 }) => ({
  meanMs: p50Ms * spread.mean,
  p50Ms,
  p90Ms: p50Ms * spread.p90,
  p99Ms: p50Ms * spread.p99,
  maxMs: p50Ms * spread.max,
});

export function stageSnapshot(fields: Partial<StageSnapshot> & Pick<StageSnapshot, "name" | "kind">): StageSnapshot {
  return {
    executor: fields.kind === "pipe" || fields.kind === "source" ? "loop" : "none",
    state: "running",
    concurrency: 1,
    inFlight: 0,
    waitingForThread: 0,
    awaitingOutput: 0,
    itemsIn: 0,
    itemsOut: 0,
    failures: 0,
    dropped: 0,
    retries: 0,
    latencyMs: latencyOf(0),
    recentLatencyMs: latencyOf(0),
    throughput: 0,
    busyFraction: 0,
    busyFractionSinceStart: 0,
    blocksEventLoop: false,
    ...fields,
  };
}

/** A queue's snapshot: the given fields, the rest idle. */
export function queueSnapshot(fields: Partial<QueueSnapshot> & Pick<QueueSnapshot, "from" | "to">): QueueSnapshot {
  const noWait = { ops: 0, avgMs: 0, p90Ms: 0, p99Ms: 0 };
  return {
    name: `${fields.from.join("+")}→${fields.to}`,
    depth: 0,
    capacity: 2,
    puts: 0,
    items: 0,
    qps: 0,
    putWait: noWait,
    getWait: noWait,
    occupancy: 0,
    blockedMs: 0,
    starvedMs: 0,
    blockedFraction: 0,
    ...fields,
  };
}

/** One remote worker serving a stage: 2 threads, 1 busy, heartbeating, unless given. */
export function remoteWorkerSnapshot(name: string, fields: Partial<RemoteWorkerSnapshot> = {}): RemoteWorkerSnapshot {
  return {
    name,
    host: "box",
    threads: 2,
    busy: 1,
    done: 10,
    itemsPerSecond: 10,
    heartbeatAgeMs: 200,
    refused: null,
    connected: true,
    stalled: false,
    ...fields,
  };
}

/** A remote stage's figures: connected to its Redis, no calls; worker slots summed from the workers given. */
export function remoteStageSnapshot(fields: Partial<RemoteStageSnapshot> = {}): RemoteStageSnapshot {
  const workers = fields.workers ?? [];
  return {
    queue: "r1-s0",
    outstanding: 0,
    waiting: 0,
    running: 0,
    completed: 0,
    lateResults: 0,
    reconciled: 0,
    queueWaitMs: latencyOf(1),
    runMs: latencyOf(5),
    transportMs: latencyOf(0.5),
    workerThreads: null,
    workerSlots: workers.filter((worker) => worker.connected && !worker.refused).reduce((sum, worker) => sum + worker.threads, 0),
    redisUrl: "redis://127.0.0.1:6379",
    redisConnection: "connected",
    redisAwayMs: 0,
    redisStatus: "ready",
    lastError: null,
    workerEvents: [],
    ...fields,
    workers,
  };
}
