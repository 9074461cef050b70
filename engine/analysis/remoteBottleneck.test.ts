import { describe, expect, it } from "vitest";
import type { PipelineSnapshot, RemoteStageSnapshot, RemoteWorkerSnapshot } from "../stats/snapshot.js";
import { queueSnapshot, remoteStageSnapshot, remoteWorkerSnapshot, stageSnapshot } from "../testing/snapshots.js";
import { findBottleneck, formatVerdict } from "./bottleneck.js";

const worker = (name: string, threads: number, fields: Partial<RemoteWorkerSnapshot> = {}): RemoteWorkerSnapshot =>
  remoteWorkerSnapshot(name, { threads, busy: threads, itemsPerSecond: 100, ...fields });

function remoteRun(remote: Partial<RemoteStageSnapshot>, stage: { concurrency: number; busy: number }): PipelineSnapshot {
  const remoteStage = remoteStageSnapshot({ outstanding: stage.concurrency, completed: 100, ...remote });
  return {
    state: "running",
    paused: false,
    draining: false,
    elapsedMs: 1000,
    itemsDelivered: 100,
    deliveredPerSecond: 100,
    failures: 0,
    stages: [
      stageSnapshot({ name: "frames", kind: "source", itemsOut: 120 }),
      stageSnapshot({
        name: "decode",
        kind: "pipe",
        executor: "remote",
        concurrency: stage.concurrency,
        inFlight: stage.concurrency,
        itemsIn: 110,
        itemsOut: 100,
        busyFraction: stage.busy,
        busyFractionSinceStart: stage.busy,
        remote: remoteStage,
      }),
    ],
    queues: [
      queueSnapshot({ from: ["frames"], to: "decode", depth: 2, puts: 120, blockedMs: 900, occupancy: 1, blockedFraction: 0.9 }),
      queueSnapshot({ from: ["decode"], to: "sink", puts: 100, starvedMs: 800, occupancy: 0.2 }),
    ],
    pool: null,
    process: { eventLoopUtilization: 0.2, eventLoopLagMs: { mean: 0, p99: 0, max: 0 }, heapUsedBytes: 0, rssBytes: 0 },
    readiness: null,
    cpu: 0,
  };
}

describe("the bottleneck finder on remote stages", () => {
  it("calls waiting in Redis with every worker slot busy: add workers or worker threads", () => {
    const snapshot = remoteRun({ waiting: 5, running: 3, workers: [worker("a", 2), worker("b", 1)] }, { concurrency: 8, busy: 1 });
    expect(formatVerdict(findBottleneck(snapshot))).toBe(
      "Bottleneck: decode — 5 calls wait for a worker, all 3 worker slots busy — add workers or worker threads",
    );
  });

  it("calls waiting and no worker serving the stage (one refused it): start one", () => {
    const snapshot = remoteRun(
      { waiting: 1, running: 0, workers: [worker("stale", 2, { refused: "other code" })] },
      { concurrency: 1, busy: 1 },
    );
    expect(findBottleneck(snapshot).reason).toBe(
      "1 call waits for a worker and no worker serves it — start one: pipeline-studio worker --redis URL",
    );
  });

  it("over a whole run (nothing waiting any more), full slots beyond the workers' threads still point at the workers", () => {
    const snapshot = remoteRun({ waiting: 0, workers: [worker("a", 2, { connected: false })] }, { concurrency: 8, busy: 0.97 });
    const verdict = findBottleneck(snapshot);
    expect(verdict.stage).toBe("decode");
    expect(verdict.reason).toBe("7.8 of 8 slots busy on 2 worker slots: calls wait for a worker — add workers or worker threads");
  });

  it("a whole run whose input queue was full most of the time names the remote stage, even with slots that look less than full (workers joining)", () => {
    // Measured on examples/remote-cpu with --local-workers 2: busy 70 %, input full 70 %; it read "none".
    const snapshot = remoteRun({ waiting: 0, workers: [worker("a", 8)] }, { concurrency: 8, busy: 0.7 });
    snapshot.queues[0] = { ...snapshot.queues[0], blockedMs: 700, blockedFraction: 0.7 };
    const verdict = findBottleneck(snapshot);
    expect(verdict.stage).toBe("decode");
    expect(verdict.reason).toBe(
      "5.6 of 8 slots busy, input queue full 70% of the time, next stage waiting — raise concurrency or add workers or worker threads",
    );
  });

  it("the same with fewer worker slots than calls: the workers are named as the limit", () => {
    const snapshot = remoteRun({ waiting: 0, workers: [worker("a", 2), worker("b", 2)] }, { concurrency: 8, busy: 0.7 });
    snapshot.queues[0] = { ...snapshot.queues[0], blockedMs: 700, blockedFraction: 0.7 };
    expect(findBottleneck(snapshot).reason).toBe(
      "5.6 of 8 slots busy on 4 worker slots: calls wait for a worker — add workers or worker threads",
    );
  });

  it("enough workers: judged like any stage", () => {
    const snapshot = remoteRun({ waiting: 0, running: 4, workers: [worker("a", 8)] }, { concurrency: 4, busy: 0.97 });
    expect(findBottleneck(snapshot).reason).toMatch(/^3\.9 of 4 slots busy, input queue full/);
  });
});
