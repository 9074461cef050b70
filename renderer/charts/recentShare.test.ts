import { describe, expect, it } from "vitest";
import { RecentShare } from "./recentShare.js";

describe("RecentShare", () => {
  it("gives the share of the last window from running totals, and nothing from one point", () => {
    const share = new RecentShare(1000);
    expect(share.add(100, 0)).toBeNull();
    expect(share.add(200, 50)).toBe(0.5);
    // Still within the first second: over everything since the first point.
    expect(share.add(1100, 50)).toBeCloseTo(0.05, 10);
    // The point at 100 ms has left the window; the one at 200 ms starts it.
    expect(share.add(1300, 250)).toBeCloseTo(200 / 1100, 10);
    // Clamped to 0–1 whatever the totals do.
    expect(share.add(1400, 10_000)).toBe(1);
  });
});
