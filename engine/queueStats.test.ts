import { describe, expect, it } from "vitest";
import { PipelineBuilder } from "./index.js";
import { OpWaits } from "./stats/opWaits.js";
import { spdlStatsLines, timeString } from "./stats/spdlLines.js";
import { queueSnapshot } from "./testing/snapshots.js";
import { collect, range, sleep } from "./testing/helpers.js";

describe("queue statistics as SPDL's StatsQueue defines them", () => {
  it("waits are per operation: those that did not wait count as 0 in the average and the percentiles", () => {
    const waits = new OpWaits();
    // 100 operations, of which two waited: the other 98 are zeros.
    waits.record(50);
    waits.record(150);
    const stats = waits.stats(100);
    expect(stats.ops).toBe(100);
    expect(stats.avgMs).toBeCloseTo(2, 6);
    expect(stats.p90Ms).toBeLessThan(0.01);
    expect(stats.p99Ms).toBeGreaterThan(49);
    expect(stats.p99Ms).toBeLessThan(51);
  });

  it("a queue in front of a slow stage: always occupied, its producer waits per put, its consumer does not", async () => {
    const slow = async (x: number) => {
      await sleep(4);
      return x;
    };
    const pipeline = new PipelineBuilder().addSource(range(40), { name: "numbers" }).pipe(slow).addSink().build();
    expect(await collect(pipeline)).toHaveLength(40);
    const [front] = pipeline.stats().queues;
    expect(front).toMatchObject({ name: "numbers→slow", puts: 40, items: 40 });
    expect(front.putWait.ops).toBe(40);
    expect(front.getWait.ops).toBe(40);
    expect(front.occupancy).toBeGreaterThan(0.7);
    expect(front.putWait.avgMs).toBeGreaterThan(5 * front.getWait.avgMs);
    expect(front.qps).toBeGreaterThan(0);
  });

  it("a queue after a slow source: mostly empty, its consumer waits per get", async () => {
    async function* trickle() {
      for (let i = 0; i < 20; i++) {
        await sleep(4);
        yield i;
      }
    }
    const pipeline = new PipelineBuilder()
      .addSource(trickle(), { name: "trickle" })
      .pipe(async (x: number) => x, { name: "quick" })
      .addSink()
      .build();
    expect(await collect(pipeline)).toHaveLength(20);
    const [front] = pipeline.stats().queues;
    expect(front.occupancy).toBeLessThan(0.3);
    expect(front.getWait.avgMs).toBeGreaterThan(5 * front.putWait.avgMs);
    expect(front.getWait.p90Ms).toBeGreaterThan(1);
  });

  it("prints SPDL-shaped lines: per stage the tasks of the interval, per queue items, QPS, waits and occupancy", () => {
    expect(timeString(0.05)).toBe("  50.0 [ us]");
    expect(timeString(12.34)).toBe("  12.3 [ ms]");
    expect(timeString(2500)).toBe("   2.5 [sec]");
    const noWait = { ops: 0, avgMs: 0, p90Ms: 0, p99Ms: 0 };
    const before = queueSnapshot({ from: ["load"], to: "sink", items: 100, putWait: { ...noWait, ops: 100 }, occupancy: 0.5 });
    const after = queueSnapshot({
      from: ["load"],
      to: "sink",
      items: 300,
      putWait: { ops: 300, avgMs: 1, p90Ms: 2, p99Ms: 5 },
      getWait: noWait,
      occupancy: 0.75,
    });
    const snapshot = (elapsedMs: number, queue: typeof after) =>
      ({ elapsedMs, stages: [], queues: [queue] }) as unknown as Parameters<typeof spdlStatsLines>[1];
    const [line] = spdlStatsLines(snapshot(1000, before), snapshot(2000, after));
    // 200 items in the 1 s interval; put average over it: (300 × 1 − 100 × 0) / 200 = 1.5 ms; not empty 1000 of 1000 ms.
    expect(line).toBe(
      "[load_queue]\tProcessed   200 items in    1.0 [sec] (QPS:  200.0) Ave wait time: put:    1.5 [ ms], get (by next stage):    0.0 [ us]. " +
        "P90: put:    2.0 [ ms], get:    0.0 [ us]. P99: put:    5.0 [ ms], get:    0.0 [ us]. Occupancy rate: 100%",
    );
  });
});

describe("queue statistics of a fast pipeline, where waits are timed one in 16", () => {
  it("every put and get is still counted once, and the waits stay finite and ordered", async () => {
    const count = 20_000;
    const pipeline = new PipelineBuilder()
      .addSource(range(count), { name: "numbers" })
      .pipe(async (x: number) => x, { name: "first" })
      .pipe(async (x: number) => x, { name: "second", outputOrder: "input" })
      .addSink(2)
      .build();
    expect(await collect(pipeline)).toHaveLength(count);
    for (const queue of pipeline.stats().queues) {
      expect(queue.putWait.ops).toBe(count);
      expect(queue.getWait.ops).toBe(count);
      for (const wait of [queue.putWait, queue.getWait]) {
        expect(Number.isFinite(wait.avgMs)).toBe(true);
        expect(wait.avgMs).toBeGreaterThanOrEqual(0);
        expect(wait.p99Ms).toBeGreaterThanOrEqual(wait.p90Ms);
      }
    }
  });
});
