import { describe, expect, it } from "vitest";
import { downsample } from "./downsample.js";

const f = (...values: number[]) => Float64Array.from(values);

describe("downsample", () => {
  it("leaves data that fits as it is", () => {
    const data = [f(0, 1, 2), f(5, 6, 7)];
    expect(downsample(data, 3)).toEqual(data);
  });

  it("merges samples into buckets from the oldest: each at its newest time with its highest value", () => {
    const time = f(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7);
    const queue = f(0, 2, 1, 0, 0, 1, 2);
    const [t, q] = downsample([time, queue], 3);
    // 7 samples into at most 3 points: buckets of 3 (the last one short).
    expect([...t!]).toEqual([0.3, 0.6, 0.7]);
    // The queue touched 2 in the first bucket: the peak stays.
    expect([...q!]).toEqual([2, 1, 2]);
  });

  it("keeps a line's gap (NaN) only where a whole bucket has no value", () => {
    const [, line] = downsample([f(1, 2, 3, 4, 5, 6), f(Number.NaN, Number.NaN, Number.NaN, 4, Number.NaN, 1)], 2);
    expect(Number.isNaN(line![0]!)).toBe(true);
    expect(line![1]).toBe(4);
  });

  it("thins five minutes of a 200-line chart to the points its width can show", () => {
    const samples = 3000;
    const time = Float64Array.from({ length: samples }, (_, i) => i / 10);
    const lines = Array.from({ length: 200 }, (_, line) => Float64Array.from({ length: samples }, (_, i) => (i * line) % 17));
    const out = downsample([time, ...lines], 90);
    expect(out).toHaveLength(201);
    for (const values of out) expect(values.length).toBeLessThanOrEqual(90);
    // The newest sample is the last point drawn.
    expect(out[0]![out[0]!.length - 1]).toBe(time[samples - 1]);
  });
});
