import { describe, expect, it } from "vitest";
import type { PipelineSnapshot, StageSnapshot } from "../api/types.js";
import { slotWorkers, useMetrics } from "./metrics.js";
import { snapshotStub } from "./testing/snapshot.js";
import { remoteStageSnapshot, remoteWorkerSnapshot, stageSnapshot } from "../../engine/testing/snapshots.js";

/** What a node draws for a remote stage: running on workers (named), waiting in Redis. */

function remoteStage(inFlight: number, waiting: number): StageSnapshot {
  return stageSnapshot({
    name: "decode",
    kind: "pipe",
    executor: "remote",
    concurrency: 8,
    inFlight,
    itemsIn: 10,
    itemsOut: 5,
    throughput: 5,
    busyFraction: 1,
    busyFractionSinceStart: 1,
    remote: remoteStageSnapshot({
      outstanding: inFlight,
      waiting,
      running: inFlight - waiting,
      completed: 5,
      workers: [
        remoteWorkerSnapshot("alpha"),
        remoteWorkerSnapshot("beta"),
        remoteWorkerSnapshot("gone", { connected: false }),
        remoteWorkerSnapshot("stale", { refused: "other code" }),
      ],
      workerSlots: 4,
    }),
  });
}

function snapshotWith(stage: StageSnapshot): PipelineSnapshot {
  return {
    state: "running",
    paused: false,
    draining: false,
    elapsedMs: 1000,
    itemsDelivered: 5,
    deliveredPerSecond: 5,
    failures: 0,
    stages: [stage],
    queues: [],
    pool: null,
    process: { eventLoopUtilization: 0.1, eventLoopLagMs: { mean: 0, p99: 0, max: 0 }, heapUsedBytes: 0, rssBytes: 0 },
    readiness: null,
    cpu: 0,
  };
}

describe("metrics of a remote stage", () => {
  it("splits its calls into running on a worker and waiting in Redis, naming the workers that serve it", () => {
    useMetrics.getState().ingest("run-1", snapshotWith(remoteStage(6, 2)), null);
    expect(useMetrics.getState().stages.decode).toMatchObject({
      executor: "remote",
      holdingThread: 4,
      waitingThread: 2,
      workers: "alpha, beta",
      workerSlots: 4,
    });
  });

  it("names the worker running each call, slot by slot, from the workers' busy counts; calls they do not account for yet stay unnamed", () => {
    // alpha and beta run one call each (busy 1); the gone and the refusing worker run none.
    useMetrics.getState().ingest("run-1", snapshotWith(remoteStage(6, 2)), null);
    expect(useMetrics.getState().stages.decode.slotWorkers.split("\n")).toEqual(["alpha", "beta", "", ""]);
    expect(slotWorkers([], 2)).toEqual(["", ""]);
  });

  it("gives the stage's worker threads: the live knob's value, else the most its serving workers run", () => {
    useMetrics.getState().ingest("run-1", snapshotWith(remoteStage(6, 2)), null);
    expect(useMetrics.getState().stages.decode.workerThreads).toBe(2);
    const knobbed = remoteStage(6, 2);
    knobbed.remote!.workerThreads = 5;
    useMetrics.getState().ingest("run-1", snapshotWith(knobbed), null);
    expect(useMetrics.getState().stages.decode.workerThreads).toBe(5);
    const unserved = remoteStage(6, 2);
    unserved.remote!.workers = [];
    useMetrics.getState().ingest("run-1", snapshotWith(unserved), null);
    expect(useMetrics.getState().stages.decode.workerThreads).toBeNull();
  });

  it("never shows more waiting than the calls in flight now (Redis counts lag by up to a second)", () => {
    useMetrics.getState().ingest("run-1", snapshotWith(remoteStage(1, 5)), null);
    expect(useMetrics.getState().stages.decode).toMatchObject({ holdingThread: 0, waitingThread: 1 });
  });
});

const summarySnapshot = (fields: Parameters<typeof snapshotStub>[0]) => snapshotStub({ state: "running", ...fields });

describe("the run summary the status bar shows", () => {
  it("carries the consumer's readiness (null without a consumer) and the CPU share", () => {
    useMetrics.getState().ingest("r1", summarySnapshot({ readiness: 0.973, cpu: 0.41 }), "out");
    expect(useMetrics.getState().summary).toMatchObject({ readiness: 0.973, cpu: 0.41 });
    useMetrics.getState().ingest("r1", summarySnapshot({}), "out");
    expect(useMetrics.getState().summary).toMatchObject({ readiness: null, cpu: 0.2 });
  });
});
