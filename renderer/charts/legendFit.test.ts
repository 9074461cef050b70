import { describe, expect, it } from "vitest";
import { entriesThatFit } from "./legendFit.js";

describe("entriesThatFit", () => {
  it("names every entry that fits the rows with the count after them", () => {
    // Rows of 200 px: [80 80] [80 80] [80 60] — five entries and "+N more" in three rows.
    expect(entriesThatFit([80, 80, 80, 80, 80, 80], 60, 200, 3, 8)).toBe(5);
    expect(entriesThatFit([80, 80, 80, 80, 80, 80], 60, 200, 2, 8)).toBe(3);
  });

  it("names all of them when there is room, and one at least when there is none", () => {
    expect(entriesThatFit([50, 50], 40, 400, 1, 8)).toBe(2);
    // An entry wider than the row takes a row of its own (clipped).
    expect(entriesThatFit([300, 300, 300], 60, 120, 3, 8)).toBe(2);
    expect(entriesThatFit([300, 300, 300], 60, 120, 1, 8)).toBe(1);
    expect(entriesThatFit([], 60, 120, 3, 8)).toBe(0);
  });

  it("wraps an item that would cross the row's end onto the next row, as flex-wrap does", () => {
    // 100 + 8 + 100 = 208 > 200: the second entry starts row 2, and the count row 3.
    expect(entriesThatFit([100, 100], 100, 200, 2, 8)).toBe(1);
    expect(entriesThatFit([100, 100], 100, 200, 3, 8)).toBe(2);
  });
});
