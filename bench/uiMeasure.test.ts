import { describe, expect, it } from "vitest";
import { formatValue } from "./report.js";
import { mainThreadLoad } from "./uiMeasure.js";

describe("mainThreadLoad", () => {
  it("gives the main thread's CPU per second of the window and its tasks' wall time over that CPU", () => {
    const before = { Timestamp: 100, ThreadTime: 3, TaskDuration: 4 };
    const after = { Timestamp: 110, ThreadTime: 5, TaskDuration: 9 };
    // 2 s of CPU in 10 s; tasks lasted 5 s for those 2 s.
    expect(mainThreadLoad(before, after)).toEqual({ cpuMsPerSecond: 200, wallPerCpu: 2.5 });
  });

  it("gives 0 for an empty window or one without CPU, not a division by zero", () => {
    expect(mainThreadLoad({ Timestamp: 5 }, { Timestamp: 5 })).toEqual({ cpuMsPerSecond: 0, wallPerCpu: 0 });
    expect(mainThreadLoad({}, { Timestamp: 1, TaskDuration: 1 })).toEqual({ cpuMsPerSecond: 0, wallPerCpu: 0 });
  });
});

describe("formatValue", () => {
  it("writes a ratio with a times sign", () => {
    expect(formatValue(2.456, "ratio")).toBe("2.46×");
  });
});
