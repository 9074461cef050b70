import { describe, expect, it } from "vitest";
import type { RemoteStageSnapshot, StageSnapshot } from "../api/types.js";
import { remoteStageSnapshot, remoteWorkerSnapshot } from "../../engine/testing/snapshots.js";
import { snapshotStub } from "./testing/snapshot.js";
import { ingestWorkers, resetWorkers, shortWorkerName, useWorkers, workersSummary, workersView } from "./workers.js";

/** What the Workers panel and the chart markers read of a snapshot. */

const worker = remoteWorkerSnapshot;

function stage(name: string, remote: Partial<RemoteStageSnapshot> | null): StageSnapshot {
  return {
    name,
    executor: remote ? "remote" : "loop",
    ...(remote ? { remote: remoteStageSnapshot({ queue: `r1-${name}`, redisUrl: "redis://:***@10.0.0.5:6379", ...remote }) } : {}),
  } as unknown as StageSnapshot;
}

describe("the Workers panel's view of a run", () => {
  it("is null for a run without a remote stage", () => {
    expect(workersView(snapshotStub({ stages: [stage("fetch", null)] }))).toBeNull();
  });

  it("has a row per worker and stage, every stage's events in time order, and the run's Redis without its password", () => {
    const view = workersView(
      snapshotStub({
        stages: [
          stage("fetch", null),
          stage("decode", {
            workers: [worker("a"), worker("b", { connected: false })],
            workerEvents: [
              { atMs: 500, kind: "joined", worker: "a", detail: "joined on box with 2 threads" },
              { atMs: 4000, kind: "left", worker: "b", detail: "gone (stopped)" },
            ],
          }),
          stage("resize", {
            workers: [worker("a", { refused: "resize.mjs differs from the pipeline's" })],
            workerEvents: [{ atMs: 600, kind: "refused", worker: "a", detail: "refused the stage: resize.mjs differs" }],
            lastError: "Connection is closed.",
          }),
        ],
      }),
    )!;
    expect(view.stages).toEqual(["decode", "resize"]);
    expect(view.rows.map((row) => [row.stage, row.name, row.connected, row.refused])).toEqual([
      ["decode", "a", true, null],
      ["decode", "b", false, null],
      ["resize", "a", true, "resize.mjs differs from the pipeline's"],
    ]);
    expect(view.events.map((event) => [event.atMs, event.stage, event.kind])).toEqual([
      [500, "decode", "joined"],
      [600, "resize", "refused"],
      [4000, "decode", "left"],
    ]);
    expect(view.redis).toEqual({
      url: "redis://:***@10.0.0.5:6379",
      connection: "connected",
      awayMs: 0,
      lastError: "Connection is closed.",
    });
  });

  it("the store follows the run on show and is cleared with it", () => {
    ingestWorkers("run-1", snapshotStub({ stages: [stage("decode", { redisConnection: "reconnecting", redisAwayMs: 2100 })] }));
    expect(useWorkers.getState()).toMatchObject({ runId: "run-1", view: { redis: { connection: "reconnecting", awayMs: 2100 } } });
    resetWorkers();
    expect(useWorkers.getState()).toEqual({ runId: null, view: null });
  });
});

describe("the Workers tab's title", () => {
  it("counts the workers serving (each once, whatever stages it serves) and names a Redis that is not well", () => {
    const snapshot = (connection: RemoteStageSnapshot["redisConnection"]) =>
      snapshotStub({
        stages: [
          stage("decode", { workers: [worker("a"), worker("b"), worker("c", { connected: false })], redisConnection: connection }),
          stage("resize", { workers: [worker("a"), worker("d", { refused: "other code" })], redisConnection: connection }),
        ],
      });
    expect(workersSummary(workersView(snapshot("connected")))).toBe("2 serving");
    expect(workersSummary(workersView(snapshot("lost")))).toBe("2 serving · Redis lost");
    expect(workersSummary(null)).toBe("");
  });
});

describe("a worker's short name (slots and chart markers)", () => {
  it("keeps short names and the start and end of long ones (a host name and a pid)", () => {
    expect(shortWorkerName("local-1")).toBe("local-1");
    expect(shortWorkerName("worker-abc")).toBe("worker-abc");
    expect(shortWorkerName("build-server-12345")).toBe("buil…12345");
  });
});
