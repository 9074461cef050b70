import { describe, expect, it } from "vitest";
import { SPARKLINE_MIN_SAMPLES, SPARKLINE_SAMPLES, sparklinePoints, sparklineSlots } from "./sparkline.js";

const parse = (points: string): [number, number][] => points.split(" ").map((p) => p.split(",").map(Number) as [number, number]);

describe("sparklinePoints", () => {
  it("is empty without data", () => {
    expect(sparklinePoints([], 300, 2)).toBe("");
  });

  it("scales depth to capacity: empty at the bottom, full at the top", () => {
    const points = parse(sparklinePoints([0, 1, 2], 3, 2, 40, 10, 3));
    expect(points).toEqual([
      [0, 10],
      [20, 5],
      [40, 0],
    ]);
  });

  it("puts the newest sample at the right edge and fills a young run from the right", () => {
    const points = parse(sparklinePoints([1, 1], 10, 2, 90, 10, 10));
    expect(points.map(([x]) => x)).toEqual([80, 90]);
  });

  it("draws one point per bucket, each the bucket's peak, so a brief full queue still shows", () => {
    const depths = Array.from({ length: 300 }, (_, i) => (i === 150 ? 4 : 0));
    const points = parse(sparklinePoints(depths, 300, 4, 44, 12, 60));
    expect(points).toHaveLength(60);
    expect(points[0][0]).toBe(0);
    expect(points.at(-1)![0]).toBe(44);
    expect(points.filter(([, y]) => y === 0)).toHaveLength(1);
  });

  it("stretches the scale when a depth exceeds the capacity it knows", () => {
    const points = parse(sparklinePoints([0, 6], 2, 3, 10, 12, 2));
    expect(points[1][1]).toBe(0);
  });

  it("spans a young run over the whole width (after 5 s) and keeps the last 30 s after that", () => {
    expect(sparklineSlots(3)).toBe(SPARKLINE_MIN_SAMPLES);
    expect(sparklineSlots(120)).toBe(120);
    expect(sparklineSlots(5000)).toBe(SPARKLINE_SAMPLES);
    expect(SPARKLINE_SAMPLES).toBe(300);
  });
});
