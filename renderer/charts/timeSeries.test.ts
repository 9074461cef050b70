import { describe, expect, it } from "vitest";
import type { PipelineSnapshot } from "../api/types.js";
import { HISTORY_CAPACITY, HISTORY_MINUTES, RunTimeSeries, SAMPLES_PER_SECOND, toTimeSample, type TimeSample } from "./timeSeries.js";

function sample(elapsedMs: number, overrides: Partial<TimeSample> = {}): TimeSample {
  return {
    elapsedMs,
    stageThroughput: { download: elapsedMs / 100, preprocess: 5 },
    queueDepth: { "download->preprocess": 1 },
    queueCapacity: { "download->preprocess": 2 },
    pool: { busyThreads: 2, waitingTasks: 1, numThreads: 3 },
    ...overrides,
  };
}

describe("RunTimeSeries", () => {
  it("marks each knob change at the sample that first shows it, from → to; markers fall off with their samples", () => {
    const series = new RunTimeSeries(3);
    series.record(sample(100, { knobs: { "download concurrency": 4, numThreads: 3 } }));
    series.record(sample(200, { knobs: { "download concurrency": 4, numThreads: 3 } }));
    series.record(sample(300, { knobs: { "download concurrency": 6, numThreads: 3 } }));
    series.record(sample(400, { knobs: { "download concurrency": 6, numThreads: 4, "preprocess concurrency": 2 } }));
    expect(series.markers()).toEqual([
      { seconds: 0.3, changes: [{ knob: "download concurrency", from: 4, to: 6 }] },
      { seconds: 0.4, changes: [{ knob: "numThreads", from: 3, to: 4 }] },
    ]);
    series.record(sample(500, { knobs: { "download concurrency": 6, numThreads: 4 } }));
    series.record(sample(600, { knobs: { "download concurrency": 6, numThreads: 4 } }));
    // Three samples kept (0.4–0.6 s): the change at 0.3 s went with its sample.
    expect(series.markers().map((marker) => marker.seconds)).toEqual([0.4]);
  });

  it("a snapshot's live knobs: each pipe stage's concurrency and the pool's numThreads", () => {
    const snapshot = {
      elapsedMs: 1000,
      stages: [
        { name: "urls", kind: "source", concurrency: 1, throughput: 5 },
        { name: "download", kind: "pipe", concurrency: 4, throughput: 5 },
      ],
      queues: [],
      pool: { busyThreads: 1, waitingTasks: 0, numThreads: 3 },
    } as unknown as PipelineSnapshot;
    expect(toTimeSample(snapshot, () => []).knobs).toEqual({ "download concurrency": 4, numThreads: 3 });
  });

  it("keeps five minutes at 10 Hz", () => {
    expect(HISTORY_CAPACITY).toBe(HISTORY_MINUTES * 60 * SAMPLES_PER_SECOND);
    expect(HISTORY_CAPACITY).toBe(3000);
  });

  it("records aligned series: seconds since start, throughput per stage, depth per edge, pool threads", () => {
    const series = new RunTimeSeries(10);
    series.record(sample(100));
    series.record(sample(200));
    expect([...series.time()]).toEqual([0.1, 0.2]);
    expect(series.throughput.keys()).toEqual(["download", "preprocess"]);
    expect([...series.throughput.ring("download")!.window()]).toEqual([1, 2]);
    expect([...series.queueDepth.ring("download->preprocess")!.window()]).toEqual([1, 1]);
    expect(series.queueCapacity("download->preprocess")).toBe(2);
    expect(series.pool.keys()).toEqual(["busyThreads", "waitingTasks", "numThreads"]);
    expect([...series.pool.ring("busyThreads")!.window()]).toEqual([2, 2]);
    expect(series.poolThreads()).toBe(3);
  });

  it("ignores a sample that is not later than the last (the final snapshot repeats the last one)", () => {
    const series = new RunTimeSeries(10);
    expect(series.record(sample(100))).toBe(true);
    expect(series.record(sample(100))).toBe(false);
    expect(series.length).toBe(1);
  });

  it("keeps every ring aligned with the time axis when a key appears late or goes missing", () => {
    const series = new RunTimeSeries(10);
    series.record(sample(100, { stageThroughput: { download: 1 } }));
    series.record(sample(200, { stageThroughput: { download: 2, late: 7 } }));
    series.record(sample(300, { stageThroughput: { late: 8 } }));
    expect([...series.throughput.ring("late")!.window()]).toEqual([0, 7, 8]);
    expect([...series.throughput.ring("download")!.window()]).toEqual([1, 2, 0]);
    expect(series.time().length).toBe(3);
  });

  it("does not grow with run length: the oldest samples fall off and the buffers stay the same", () => {
    const series = new RunTimeSeries(50);
    series.record(sample(1));
    const timeBuffer = series.time().buffer;
    const depthBuffer = series.queueDepth.ring("download->preprocess")!.window().buffer;
    for (let i = 2; i <= 10_000; i++) series.record(sample(i * 100));
    expect(series.length).toBe(50);
    expect(series.time().buffer).toBe(timeBuffer);
    expect(series.queueDepth.ring("download->preprocess")!.window().buffer).toBe(depthBuffer);
    expect(series.time()[0]).toBeCloseTo(9951 * 0.1);
    expect(series.time()[49]).toBeCloseTo(1000);
  });

  it("a run without a pool has no pool series and zero threads", () => {
    const series = new RunTimeSeries(10);
    series.record(sample(100, { pool: null }));
    expect(series.pool.keys()).toEqual([]);
    expect(series.poolThreads()).toBe(0);
  });

  it("gives the last n queue depths of an edge for its sparkline", () => {
    const series = new RunTimeSeries(10);
    for (let i = 1; i <= 5; i++) series.record(sample(i * 100, { queueDepth: { "a->b": i } }));
    expect([...series.recentQueueDepth("a->b", 3)]).toEqual([3, 4, 5]);
    expect([...series.recentQueueDepth("unknown", 3)]).toEqual([]);
  });
});

describe("toTimeSample", () => {
  it("keys a snapshot's figures by stage id and by every edge a queue sits on", () => {
    const snapshot = {
      elapsedMs: 1500,
      stages: [
        { name: "a", throughput: 10 },
        { name: "b", throughput: 4 },
        { name: "m", throughput: 3 },
      ],
      queues: [
        { name: "a,b→m", from: ["a", "b"], to: "m", depth: 2, capacity: 4 },
        { name: "m→sink", from: ["m"], to: "sink", depth: 1, capacity: 3, starvedMs: 150 },
      ],
      pool: { numThreads: 3, maxThreads: 8, busyThreads: 1, waitingTasks: 0, runningCalls: 1, completedCalls: 9, workerDeaths: 0 },
      readiness: 0.9,
      cpu: 0.2,
    } as unknown as PipelineSnapshot;
    const result = toTimeSample(snapshot, (queue) => queue.from.map((from) => `${from}->${queue.to === "sink" ? "out" : queue.to}`));
    expect(result).toEqual({
      elapsedMs: 1500,
      stageThroughput: { a: 10, b: 4, m: 3 },
      queueDepth: { "a->m": 2, "b->m": 2, "m->out": 1 },
      queueCapacity: { "a->m": 4, "b->m": 4, "m->out": 3 },
      pool: { busyThreads: 1, waitingTasks: 0, numThreads: 3 },
      // No stage of kind "pipe" here: the pool's size is the one knob.
      knobs: { numThreads: 3 },
      // The consumer's waits on the sink's queue, and CPU time ÷ cores, both since the start.
      consumer: { waitedMs: 150, cpuMs: 300 },
    });
    expect(toTimeSample({ ...snapshot, readiness: null }, () => []).consumer).toEqual({ waitedMs: null, cpuMs: 300 });
  });
});
