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
});
