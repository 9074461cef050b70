import { describe, expect, it } from "vitest";
import { gridSettings } from "./tuningGrid.js";
import { cheapestReaching } from "./tuningReadiness.js";

describe("the tuning benchmark's grid", () => {
  it("is every concurrency per stage with every thread count up to the budget", () => {
    const grid = gridSettings(["a", "b"], [1, 4], 2);
    expect(grid).toHaveLength(8);
    expect(grid[0]).toEqual({ numThreads: 1, concurrency: { a: 1, b: 1 } });
    expect(grid.at(-1)).toEqual({ numThreads: 2, concurrency: { a: 4, b: 4 } });
    expect(new Set(grid.map((settings) => JSON.stringify(settings))).size).toBe(8);
  });
});

describe("the readiness benchmark's cheapest grid setting", () => {
  const point = (numThreads: number, fetch: number, readiness: number, cpu: number) => ({
    settings: { numThreads, concurrency: { fetch } },
    readiness,
    cpu,
  });

  it("is the fewest threads that reach the target, then the least CPU, then the fewest slots", () => {
    const points = [
      point(2, 2, 0.999, 0.1),
      point(1, 1, 0.6, 0.05),
      point(1, 8, 0.995, 0.12),
      point(1, 4, 0.992, 0.12),
      point(1, 2, 0.991, 0.15),
    ];
    expect(cheapestReaching(points, 0.99)).toEqual(point(1, 4, 0.992, 0.12));
    expect(cheapestReaching(points, 0.998)).toEqual(point(2, 2, 0.999, 0.1));
    expect(cheapestReaching(points, 0.9999)).toBeNull();
  });
});
