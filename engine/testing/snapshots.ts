import type { QueueSnapshot, StageSnapshot } from "../stats/snapshot.js";

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
