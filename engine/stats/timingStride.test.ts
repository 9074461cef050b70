import { describe, expect, it } from "vitest";
import { OpWaits, UNTIMED_WAIT } from "./opWaits.js";
import { TimingStride } from "./timingStride.js";

/** How many of `events` events (one every `everyMs` on a fake clock) are timed. */
function timedOf(stride: TimingStride, clock: { now: number }, events: number, everyMs: number): number {
  let timed = 0;
  for (let i = 0; i < events; i++) {
    clock.now += everyMs;
    if (stride.next()) timed++;
  }
  return timed;
}

describe("which waits read the clock", () => {
  it("times every wait while waits are rare, one in 16 once they come faster than 10,000 a second", () => {
    const clock = { now: 1000 };
    const stride = new TimingStride(() => clock.now);
    expect(timedOf(stride, clock, 512, 1)).toBe(512);
    // 256 events to notice the rate, then one in 16.
    const timed = timedOf(stride, clock, 256 + 1600, 0.001);
    expect(timed).toBeGreaterThanOrEqual(256 + 100);
    expect(timed).toBeLessThanOrEqual(256 + 100 + 2);
    expect(stride.weight).toBe(16);
  });

  it("the stats sampler restores full timing when waits slow down, without 256 more events", () => {
    const clock = { now: 1000 };
    const stride = new TimingStride(() => clock.now);
    timedOf(stride, clock, 1024, 0.001);
    expect(stride.weight).toBe(16);
    stride.adapt(100); // the events since the last sample: 1024 in 100 ms would be frequent…
    stride.adapt(100); // …but none came in the next 100 ms
    clock.now += 100;
    expect(stride.weight).toBe(1);
    expect(timedOf(stride, clock, 10, 5)).toBe(10);
  });

  it("an untimed wait is folded into the next timed one: operations, mean and percentiles still count it", () => {
    const waits = new OpWaits();
    for (let i = 0; i < 15; i++) waits.record(UNTIMED_WAIT);
    waits.record(10);
    // 32 operations: the 16 that waited and 16 that did not.
    const stats = waits.stats(32);
    expect(stats.ops).toBe(32);
    expect(stats.avgMs).toBeCloseTo(5, 6);
    expect(stats.p90Ms).toBeGreaterThan(9.8);
    expect(stats.p90Ms).toBeLessThan(10.2);
  });
});
