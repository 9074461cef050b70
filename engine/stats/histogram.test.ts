import { describe, expect, it } from "vitest";
import { LatencyHistogram, summarize } from "./histogram.js";

describe("LatencyHistogram", () => {
  it("estimates quantiles within about 1% of the exact values", () => {
    const histogram = new LatencyHistogram();
    const values = Array.from({ length: 10_000 }, (_, i) => 0.01 + (i % 1000) * 0.37);
    for (const value of values) histogram.record(value);
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.99]) {
      const exact = sorted[Math.ceil(q * sorted.length) - 1];
      expect(Math.abs(histogram.quantileMs(q) - exact) / exact).toBeLessThan(0.012);
    }
    const summary = summarize(histogram);
    expect(summary.p50Ms).toBe(histogram.quantileMs(0.5));
    expect(summary.p99Ms).toBe(histogram.quantileMs(0.99));
    expect(summary.meanMs).toBeCloseTo(values.reduce((a, b) => a + b) / values.length, 6);
  });

  it("weights sampled observations and stays empty-safe", () => {
    const histogram = new LatencyHistogram();
    expect(summarize(histogram)).toEqual({ meanMs: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0 });
    histogram.record(1, 9);
    histogram.record(100, 1);
    expect(histogram.count).toBe(10);
    expect(histogram.quantileMs(0.5)).toBeCloseTo(1, 1);
    expect(histogram.quantileMs(0.95)).toBeCloseTo(100, -1);
  });

  it("merges and resets over the buckets in use: the same quantiles as recording everything in one", () => {
    // Two windows far apart (µs and seconds), merged, then reset and merged again in the other order.
    const fast = new LatencyHistogram();
    const slow = new LatencyHistogram();
    const all = new LatencyHistogram();
    for (let i = 0; i < 500; i++) {
      const a = 0.002 + (i % 50) * 0.001;
      const b = 800 + (i % 70) * 13;
      fast.record(a);
      slow.record(b, 2);
      all.record(a);
      all.record(b, 2);
    }
    const merged = new LatencyHistogram();
    const qs = [0.1, 0.3, 0.5, 0.9, 0.99];
    merged.add(fast);
    merged.add(slow);
    expect(merged.quantilesMs(qs)).toEqual(all.quantilesMs(qs));
    merged.reset();
    expect(summarize(merged)).toEqual({ meanMs: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0 });
    merged.add(slow);
    expect(merged.quantilesMs(qs)).toEqual(slow.quantilesMs(qs));
    merged.add(fast);
    expect(merged.quantilesMs(qs)).toEqual(all.quantilesMs(qs));
    // A reset histogram records afresh: nothing of the old range is left in its buckets.
    merged.reset();
    merged.record(5);
    expect(merged.quantilesMs([0.01, 0.5, 1])).toEqual(Array(3).fill(merged.quantileMs(0.5)));
    expect(merged.quantileMs(0.5)).toBeCloseTo(5, 1);
  });
});
