import { describe, expect, it } from "vitest";
import { formatCompactRate, formatCount, formatElapsed, formatMs, formatPercent, formatRate, formatSeconds } from "./format.js";

describe("number formats", () => {
  it("rates are whole from 100 items/s and carry one decimal below", () => {
    expect([formatRate(0), formatRate(12.46), formatRate(99.94), formatRate(100), formatRate(1234.5)]).toEqual([
      "0.0",
      "12.5",
      "99.9",
      "100",
      "1235",
    ]);
  });

  it("an axis rate shortens thousands", () => {
    expect([formatCompactRate(0), formatCompactRate(850), formatCompactRate(1234), formatCompactRate(25_400)]).toEqual([
      "0",
      "850",
      "1.2k",
      "25k",
    ]);
  });

  it("milliseconds keep about three significant digits", () => {
    expect([formatMs(1.234), formatMs(12.34), formatMs(123.4)]).toEqual(["1.23", "12.3", "123"]);
  });

  it("durations read in seconds", () => {
    expect([formatSeconds(125), formatSeconds(2500), formatSeconds(42_000), formatElapsed(12_345)]).toEqual([
      "0.125 s",
      "2.50 s",
      "42.0 s",
      "12.3 s",
    ]);
  });

  it("shares and counts", () => {
    expect([formatPercent(0.424), formatCount(1, "failure"), formatCount(2, "failure")]).toEqual(["42%", "1 failure", "2 failures"]);
  });
});
