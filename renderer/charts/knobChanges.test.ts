import { describe, expect, it } from "vitest";
import { knobChanges, knobMarkerText } from "./knobChanges.js";

describe("knob changes", () => {
  it("names each knob whose value moved, from → to; a knob seen for the first time is no change", () => {
    const before = { "download concurrency": 4, numThreads: 3 };
    expect(knobChanges(before, { "download concurrency": 4, numThreads: 3 })).toEqual([]);
    expect(knobChanges(before, { "download concurrency": 6, numThreads: 3, "preprocess concurrency": 2 })).toEqual([
      { knob: "download concurrency", from: 4, to: 6 },
    ]);
  });

  it("reads as what changed, from → to", () => {
    expect(
      knobMarkerText({
        seconds: 2.5,
        changes: [
          { knob: "download concurrency", from: 2, to: 6 },
          { knob: "numThreads", from: 3, to: 4 },
        ],
      }),
    ).toBe("download concurrency 2 → 6, numThreads 3 → 4");
  });
});
