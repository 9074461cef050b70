import { describe, expect, it } from "vitest";
import type { WorkerEventRow } from "../store/workers.js";
import { workerMarkers } from "./workerMarkers.js";

const event = (atMs: number, kind: WorkerEventRow["kind"], worker: string, stage: string, detail: string): WorkerEventRow => ({
  atMs,
  kind,
  worker,
  stage,
  detail,
});

describe("worker events as markers on the throughput chart", () => {
  it("places each at the run's second, signed by kind, with the worker's short name and the whole story in the tooltip", () => {
    const markers = workerMarkers([
      event(1200, "joined", "local-1", "decode", "joined on box with 2 threads"),
      event(9800, "stalled", "gpu-box-with-a-long-name-4711", "decode", "no heartbeat for 3 s (blocked, stopped or cut off)"),
      event(11800, "left", "gpu-box-with-a-long-name-4711", "decode", "gone after its heartbeats stopped (died, or cut off from Redis)"),
    ]);
    expect(markers).toEqual([
      {
        t: 1.2,
        kind: "joined",
        worker: "local-1",
        label: "+ local-1",
        title: "1.2 s: local-1 joined (decode): joined on box with 2 threads",
      },
      {
        t: 9.8,
        kind: "stalled",
        worker: "gpu-box-with-a-long-name-4711",
        label: "⚠ gpu-…-4711",
        title: "9.8 s: gpu-box-with-a-long-name-4711 stalled (decode): no heartbeat for 3 s (blocked, stopped or cut off)",
      },
      {
        t: 11.8,
        kind: "left",
        worker: "gpu-box-with-a-long-name-4711",
        label: "− gpu-…-4711",
        title: "11.8 s: gpu-box-with-a-long-name-4711 left (decode): gone after its heartbeats stopped (died, or cut off from Redis)",
      },
    ]);
  });

  it("one worker joining two stages, or several of its jobs stalling at once, is one marker; a second apart are two", () => {
    const markers = workerMarkers([
      event(1000, "joined", "w1", "decode", "joined on box with 2 threads"),
      event(1000, "joined", "w1", "resize", "joined on box with 2 threads"),
      event(5000, "jobStalled", "w1", "decode", "job c7 stalled on w1: its lock expired, so another worker takes it"),
      event(5100, "jobStalled", "w1", "decode", "job c8 stalled on w1: its lock expired, so another worker takes it"),
      event(7000, "jobStalled", "", "decode", "job c9 stalled: its lock expired, so another worker takes it"),
    ]);
    expect(markers.map((marker) => [marker.t, marker.label])).toEqual([
      [1, "+ w1"],
      [5, "⚠ w1"],
      [7, "⚠ a worker"],
    ]);
    expect(markers[0].title).toBe("1.0 s: w1 joined (decode, resize): joined on box with 2 threads");
    expect(markers[1].title).toContain("job c7 stalled on w1");
    expect(markers[1].title).toContain("job c8 stalled on w1");
  });
});
