import { describe, expect, it } from "vitest";
import { parseArgs, SUITE_NAMES, UsageError } from "./args.js";
import { idealRate } from "./fidelity.js";
import { assertCount, interleave, interleavedOrder, median, meetsTarget, pairedRatios, quantile, ratio, steadyRate } from "./measure.js";
import { buildReport, figure, formatValue, measurement, renderReport, renderTable } from "./report.js";

describe("median", () => {
  it("takes the middle value of an odd count and the mean of the two middle ones of an even count", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it("leaves its input unsorted and refuses an empty list", () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
    expect(() => median([])).toThrow(RangeError);
  });
});

describe("quantile", () => {
  it("interpolates between the nearest ranks", () => {
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([1, 2], 0.75)).toBe(1.75);
    expect(quantile([9], 0.9)).toBe(9);
  });
});

describe("pairedRatios", () => {
  it("divides round by round and refuses rounds that do not line up", () => {
    expect(pairedRatios([2, 9], [1, 3])).toEqual([2, 3]);
    expect(() => pairedRatios([1, 2], [1])).toThrow(RangeError);
  });

  it("is steadier than the ratio of medians when the machine drifts between rounds", () => {
    // The engine is 1.5× the peer in every round, but the machine's speed halves in later rounds.
    const peer = [100, 100, 50, 50, 50];
    const engine = [150, 150, 75, 75, 75];
    expect(median(pairedRatios(engine, peer))).toBe(1.5);
  });
});

describe("interleavedOrder", () => {
  it("runs every variant once per round, starting one later each round", () => {
    expect(interleavedOrder(3, 4)).toEqual([
      [0, 1, 2],
      [1, 2, 0],
      [2, 0, 1],
      [0, 1, 2],
    ]);
    expect(interleavedOrder(2, 3)).toEqual([
      [0, 1],
      [1, 0],
      [0, 1],
    ]);
  });
});

describe("interleave", () => {
  it("alternates the variants and groups each one's results in round order", async () => {
    const calls: string[] = [];
    let counter = 0;
    const make = (name: string) => ({
      name,
      run: async () => {
        calls.push(name);
        return `${name}${++counter}`;
      },
    });
    const seen: string[] = [];
    let beforeRuns = 0;
    const results = await interleave([make("A"), make("B")], 3, {
      beforeRun: () => void beforeRuns++,
      afterRun: ({ round, rounds, name }) => seen.push(`${round}/${rounds}:${name}`),
    });
    expect(calls).toEqual(["A", "B", "B", "A", "A", "B"]);
    expect(results.get("A")).toEqual(["A1", "A4", "A5"]);
    expect(results.get("B")).toEqual(["B2", "B3", "B6"]);
    expect(beforeRuns).toBe(6);
    expect(seen).toEqual(["1/3:A", "1/3:B", "2/3:B", "2/3:A", "3/3:A", "3/3:B"]);
  });

  it("refuses two variants with one name", async () => {
    const run = async () => 1;
    await expect(
      interleave(
        [
          { name: "A", run },
          { name: "A", run },
        ],
        1,
      ),
    ).rejects.toThrow(/unique/);
  });
});

describe("targets and ratios", () => {
  it("judges at-least and at-most targets, boundaries included", () => {
    expect(meetsTarget(1.5, { kind: "atLeast", value: 1.5 })).toBe(true);
    expect(meetsTarget(1.49, { kind: "atLeast", value: 1.5 })).toBe(false);
    expect(meetsTarget(1.1, { kind: "atMost", value: 1.1 })).toBe(true);
    expect(meetsTarget(1.11, { kind: "atMost", value: 1.1 })).toBe(false);
  });

  it("never passes a ratio that could not be computed", () => {
    expect(ratio(5, 0)).toBeNaN();
    expect(meetsTarget(Number.NaN, { kind: "atMost", value: 1.1 })).toBe(false);
    expect(meetsTarget(Number.POSITIVE_INFINITY, { kind: "atLeast", value: 3 })).toBe(false);
  });

  it("builds figures from medians, or from the median of paired ratios when given", () => {
    const plain = figure({
      id: "x",
      suite: "noop",
      label: "x",
      unit: "items/s",
      value: 300,
      peer: { name: "peer", value: 200 },
      target: { kind: "atLeast", value: 1.5 },
    });
    expect(plain.ratio).toBe(1.5);
    expect(plain.pass).toBe(true);
    const paired = figure(
      {
        id: "y",
        suite: "statsCost",
        label: "y",
        unit: "items/s",
        value: 90,
        peer: { name: "none", value: 100 },
        target: { kind: "atLeast", value: 0.97 },
      },
      [0.99, 0.95, 0.98],
    );
    expect(paired.ratio).toBe(0.98);
    expect(paired.pass).toBe(true);
    expect(paired.ratioSpread).toEqual({ low: 0.965, high: 0.985 });
    const info = figure({ id: "z", suite: "pool", label: "z", unit: "items/s", value: 1, peer: { name: "p", value: 2 }, target: null });
    expect(info.pass).toBeNull();
    expect(info.ratioSpread).toBeNull();
  });

  it("fails a run whose contender lost or invented items", () => {
    expect(() => assertCount("peer", 99, 100)).toThrow(/peer delivered 99 items, expected 100/);
    expect(() => assertCount("peer", 100, 100)).not.toThrow();
  });
});

describe("steadyRate", () => {
  it("recovers a constant rate exactly", () => {
    const times = Array.from({ length: 101 }, (_, i) => 1000 + i * 10); // one item every 10 ms
    expect(steadyRate(times)).toBeCloseTo(100, 6);
  });

  it("leaves a slow start out", () => {
    // 20 items crawl in over 2 s (start-up), then 180 come at 100/s.
    const times = [...Array.from({ length: 20 }, (_, i) => i * 100), ...Array.from({ length: 180 }, (_, i) => 2000 + i * 10)];
    expect(steadyRate(times, 0.15)).toBeCloseTo(100, 6);
    expect(steadyRate(times, 0)).toBeLessThan(90);
  });

  it("reads the rate of items that arrive in bursts without being thrown by where the window ends", () => {
    // Pairs every 20 ms: 100 items/s.
    const times = Array.from({ length: 300 }, (_, i) => Math.floor(i / 2) * 20 + (i % 2) * 0.01);
    expect(steadyRate(times)).toBeGreaterThan(98);
    expect(steadyRate(times)).toBeLessThan(102);
  });

  it("needs two deliveries", () => {
    expect(() => steadyRate([5])).toThrow(RangeError);
  });
});

describe("idealRate", () => {
  it("is the slowest stage's concurrency over its latency", () => {
    expect(
      idealRate([
        { concurrency: 4, meanLatencyMs: 10 },
        { concurrency: 2, meanLatencyMs: 20 },
      ]),
    ).toBe(100);
    expect(
      idealRate([
        { concurrency: 4, meanLatencyMs: 10.5 },
        { concurrency: 2, meanLatencyMs: 20.4 },
      ]),
    ).toBeCloseTo(2 / 0.0204, 9);
  });
});

describe("parseArgs", () => {
  it("defaults to every suite, full size, a table", () => {
    expect(parseArgs([])).toEqual({
      quick: false,
      json: false,
      suites: SUITE_NAMES.filter((name) => name !== "ui"),
      uiBaseline: null,
      help: false,
    });
    // The UI suite runs only when named.
    expect(parseArgs(["--only", "ui"]).suites).toEqual(["ui"]);
  });

  it("reads --quick, --json and --help", () => {
    expect(parseArgs(["--quick", "--json"])).toMatchObject({ quick: true, json: true });
    expect(parseArgs(["-h"]).help).toBe(true);
  });

  it("keeps the table's suite order whatever order --only lists them in", () => {
    expect(parseArgs(["--only", "memory,noop"]).suites).toEqual(["noop", "memory"]);
    expect(parseArgs(["--only=pool"]).suites).toEqual(["pool"]);
  });

  it("reads the ui suite's baseline renderer (--ui-baseline DIR or =DIR)", () => {
    expect(parseArgs(["--only", "ui", "--ui-baseline", "/tmp/old"]).uiBaseline).toBe("/tmp/old");
    expect(parseArgs(["--ui-baseline=/tmp/old"]).uiBaseline).toBe("/tmp/old");
    expect(() => parseArgs(["--ui-baseline"])).toThrow(/needs the folder of a built renderer/);
  });

  it("rejects unknown arguments and suites", () => {
    expect(() => parseArgs(["--fast"])).toThrow(UsageError);
    expect(() => parseArgs(["--only", "noop,gpu"])).toThrow(/unknown suite 'gpu'/);
    expect(() => parseArgs(["--only"])).toThrow(/needs a comma-separated list/);
  });
});

describe("report", () => {
  it("formats quantities in their units", () => {
    expect(formatValue(1_580_000, "items/s")).toBe("1.58M/s");
    expect(formatValue(36_600, "items/s")).toBe("36.6k/s");
    expect(formatValue(97.84, "items/s")).toBe("97.8/s");
    expect(formatValue(62 * 2 ** 20, "bytes")).toBe("62.0 MiB");
  });

  it("aligns table columns", () => {
    const table = renderTable(
      ["name", "n"],
      [
        ["a", "1"],
        ["long name", "100"],
      ],
      new Set([1]),
    );
    expect(table.split("\n")).toEqual(["name         n", "---------  ---", "a            1", "long name  100"]);
  });

  it("summarises passes and misses and names each miss", () => {
    const suite = {
      suite: "noop" as const,
      title: "t",
      params: { items: 10 },
      measurements: [measurement("s", "engine", "items/s", [1, 3, 2])],
      figures: [
        figure({
          id: "a",
          suite: "noop",
          label: "fast enough",
          unit: "items/s",
          value: 3,
          peer: { name: "p", value: 1 },
          target: { kind: "atLeast", value: 1.5 },
        }),
        figure({
          id: "b",
          suite: "noop",
          label: "too slow",
          unit: "items/s",
          value: 1,
          peer: { name: "p", value: 1 },
          target: { kind: "atLeast", value: 1.5 },
        }),
      ],
      notes: [],
    };
    const report = buildReport("quick", 2, { before: 0, after: 0 }, new Date(0), 1, [suite]);
    expect(report.summary).toEqual({ pass: 1, miss: 1, info: 0 });
    expect(report.suites[0].measurements[0]).toMatchObject({ median: 2, min: 1, max: 3 });
    const text = renderReport(report);
    expect(text).toContain("MISS too slow");
    expect(text).not.toContain("MISS fast enough");
  });
});
