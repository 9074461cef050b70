import { describe, expect, it } from "vitest";
import { gridSettings } from "./tuning.js";

describe("the tuning benchmark's grid", () => {
  it("is every concurrency per stage with every thread count up to the budget", () => {
    const grid = gridSettings(["a", "b"], [1, 4], 2);
    expect(grid).toHaveLength(8);
    expect(grid[0]).toEqual({ numThreads: 1, concurrency: { a: 1, b: 1 } });
    expect(grid.at(-1)).toEqual({ numThreads: 2, concurrency: { a: 4, b: 4 } });
    expect(new Set(grid.map((settings) => JSON.stringify(settings))).size).toBe(8);
  });
});
