import { describe, expect, it } from "vitest";
import { compareRuns, formatComparisonValue, type ComparisonRow } from "./compareRuns.js";
import { RunReportError, buildRunReport, describeSettings, parseRunReport, pipelineNameFromFile, summarizeRunReport } from "./runReport.js";
import { seedReport, seedSnapshot, seedSpec } from "./testing/reports.js";

describe("buildRunReport", () => {
  const report = seedReport({}, { elapsedMs: 2000 });

  it("records the pipeline, the times, the outcome and whole-run figures", () => {
    expect(report).toMatchObject({
      format: "pipeline-studio-run/1",
      pipeline: { name: "Download and preprocess", file: "/work/pipelines/seed.pipeline.json" },
      startedAt: "2025-05-06T12:00:00.000Z",
      finishedAt: "2025-05-06T12:00:02.000Z",
      outcome: "completed",
      error: null,
    });
    // 200 items in 2 s, whatever the snapshot's sliding-window rate says.
    expect(report.figures).toMatchObject({ elapsedMs: 2000, itemsDelivered: 200, itemsPerSecond: 100, failures: 0 });
    const [urls, download, preprocess] = report.figures.stages;
    expect(urls).toMatchObject({ name: "urls", kind: "source", itemsOut: 200, itemsPerSecond: 100, latencyMs: null, utilisation: null });
    expect(download).toMatchObject({ name: "download", itemsIn: 200, itemsOut: 200, itemsPerSecond: 100, utilisation: 0.4 });
    expect(download.latencyMs).toEqual({ p50Ms: 20, p90Ms: 30, p99Ms: 40, meanMs: 22 });
    expect(preprocess).toMatchObject({ executor: "pool", utilisation: 0.95 });
    expect(report.figures.queues[1]).toEqual({ name: "download→preprocess", capacity: 2, occupancy: 0.95, blockedFraction: 0.9 });
  });

  it("records the settings as run: threads, per-stage concurrency, order and queue size", () => {
    expect(report.settings).toEqual({
      numThreads: 3,
      maxFailures: null,
      limit: null,
      overrides: [],
      nodes: [
        { id: "download", kind: "stage", op: "sleep", concurrency: 4, outputOrder: "completion", queueSize: 2 },
        { id: "preprocess", kind: "stage", op: "cpu", concurrency: 2, outputOrder: "input", queueSize: 2 },
        { id: "sink", kind: "sink", op: null, concurrency: null, outputOrder: null, queueSize: 3 },
      ],
      liveChanges: [],
    });
    expect(describeSettings(report.settings)).toBe("3 threads · download ×4 · preprocess ×2");
  });

  it("takes concurrency and the pool size from the final snapshot when knobs were turned live", () => {
    const live = seedReport({ download: 4, numThreads: 3 }, { elapsedMs: 2000, download: { concurrency: 8 }, numThreads: 1 });
    expect(live.settings.numThreads).toBe(1);
    expect(live.settings.nodes[0].concurrency).toBe(8);
    expect(live.settings.liveChanges).toEqual(["build.numThreads 3 → 1", "download.concurrency 4 → 8"]);
  });

  it("judges the bottleneck over the whole run", () => {
    expect(report.bottleneck.stage).toBe("preprocess");
    expect(report.bottleneck.line).toMatch(/^Bottleneck: preprocess — /);
  });

  it("keeps a failed run's error, the CLI's limit and overrides, and names an unsaved pipeline", () => {
    const failed = buildRunReport({
      spec: { ...seedSpec(), name: "" },
      file: null,
      startedAt: new Date(0),
      finishedAt: new Date(1000),
      outcome: "failed",
      error: { stage: "preprocess", message: "Stage 'preprocess' failed" },
      snapshot: seedSnapshot({ elapsedMs: 1000, itemsDelivered: 50, preprocess: { failures: 6 } }),
      limit: 80,
      overrides: ["preprocess.concurrency=2"],
    });
    expect(failed).toMatchObject({ outcome: "failed", error: { stage: "preprocess" }, pipeline: { name: "Untitled", file: null } });
    expect(failed.settings).toMatchObject({ limit: 80, overrides: ["preprocess.concurrency=2"] });
    expect(failed.figures).toMatchObject({ itemsDelivered: 50, itemsPerSecond: 50, failures: 6 });
    expect(pipelineNameFromFile("/a/b/seed.pipeline.json")).toBe("seed");
    expect(pipelineNameFromFile("C:\\x\\mine.json")).toBe("mine");
  });

  it("summarises a report for a list of runs", () => {
    expect(summarizeRunReport(report, "r1.run.json", "/x/r1.run.json")).toEqual({
      id: "r1.run.json",
      path: "/x/r1.run.json",
      startedAt: "2025-05-06T12:00:00.000Z",
      outcome: "completed",
      itemsDelivered: 200,
      elapsedMs: 2000,
      itemsPerSecond: 100,
      settings: "3 threads · download ×4 · preprocess ×2",
      bottleneck: "preprocess",
    });
  });
});

describe("parseRunReport", () => {
  it("reads back what was written, through JSON", () => {
    const report = seedReport({}, { elapsedMs: 2000 });
    expect(parseRunReport(JSON.parse(JSON.stringify(report)), "r.run.json")).toEqual(report);
  });

  it("says where a malformed report is wrong", () => {
    const broken = JSON.parse(JSON.stringify(seedReport({}, { elapsedMs: 2000 })));
    broken.figures.itemsPerSecond = "fast";
    delete broken.settings.numThreads;
    const error = (() => {
      try {
        parseRunReport(broken, "bad.run.json");
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(RunReportError);
    expect((error as RunReportError).message).toMatch(/^bad\.run\.json: not a readable run report: /);
    expect((error as RunReportError).problems.map((problem) => problem.path).sort()).toEqual([
      "figures.itemsPerSecond",
      "settings.numThreads",
    ]);
  });

  it("refuses another file, and a newer report format with a message saying so", () => {
    expect(() => parseRunReport({ format: "pipeline-studio/1", nodes: [] }, "p.json")).toThrow(
      /^p\.json: not a readable run report: format: /,
    );
    expect(() => parseRunReport("text", "t.json")).toThrow(RunReportError);
    expect(() => parseRunReport({ format: "pipeline-studio-run/2" }, "n.json")).toThrow(
      'format: "pipeline-studio-run/2" was written by a newer Pipeline Studio',
    );
  });
});

describe("compareRuns", () => {
  // a: download ×4, preprocess ×2 on 3 threads: 200 items in 2 s. b: preprocess ×3: 1.6 s.
  const a = seedReport({}, { elapsedMs: 2000, preprocess: { p50Ms: 10, busy: 0.95 } });
  const b = seedReport(
    { preprocess: 3 },
    { elapsedMs: 1600, preprocess: { concurrency: 3, p50Ms: 10.2, busy: 0.8 }, download: { p50Ms: 16 } },
  );
  const rows = compareRuns(a, b);
  const find = (label: string): ComparisonRow => {
    const found = rows.find((candidate) => candidate.label === label);
    if (!found) throw new Error(`no row ${label} in ${rows.map((candidate) => candidate.label).join(", ")}`);
    return found;
  };

  it("shows the throughput change and which run did better", () => {
    expect(find("items/s")).toEqual({
      section: "run",
      stage: null,
      label: "items/s",
      unit: "items/s",
      a: 100,
      b: 125,
      change: 0.25,
      better: "b",
      changeText: "+25%",
      differs: true,
    });
    expect(find("elapsed")).toMatchObject({ a: 2000, b: 1600, change: -0.2, better: "b", changeText: "−20%" });
    expect(find("failures")).toMatchObject({ a: 0, b: 0, change: null, better: "same", differs: false });
    expect(find("download items/s")).toMatchObject({ a: 100, b: 125, better: "b" });
  });

  it("compares latency (lower is better, within 3% is the same) and utilisation (no judgement)", () => {
    expect(find("download latency p50")).toMatchObject({ a: 20, b: 16, change: -0.2, better: "b" });
    expect(find("download latency p99")).toMatchObject({ a: 40, b: 32, better: "b" });
    expect(find("preprocess latency p50")).toMatchObject({ a: 10, b: 10.2, better: "same" });
    expect(find("preprocess utilisation")).toMatchObject({
      unit: "fraction",
      a: 0.95,
      b: 0.8,
      better: null,
      changeText: "−15 pt",
      differs: true,
    });
    expect(find("preprocess latency p50")).toMatchObject({ changeText: "+2%" });
    expect(find("failures").changeText).toBe("");
    expect(rows.some((candidate) => candidate.label === "urls latency p50")).toBe(false);
  });

  it("lists every setting and marks the ones that differ", () => {
    const settings = rows.filter((candidate) => candidate.section === "settings");
    expect(settings.map((candidate) => candidate.label)).toEqual([
      "numThreads",
      "maxFailures",
      "download.concurrency",
      "download.outputOrder",
      "download.queueSize",
      "preprocess.concurrency",
      "preprocess.outputOrder",
      "preprocess.queueSize",
      "sink.queueSize",
    ]);
    expect(settings.filter((candidate) => candidate.differs).map((candidate) => [candidate.label, candidate.a, candidate.b])).toEqual([
      ["preprocess.concurrency", 2, 3],
    ]);
    expect(find("preprocess.concurrency")).toMatchObject({ change: 0.5, better: null });
  });

  it("judges the other way round and judges elapsed only for the same items delivered", () => {
    const reversed = compareRuns(b, a);
    expect(reversed.find((candidate) => candidate.label === "items/s")).toMatchObject({ change: -0.2, better: "a" });
    const fewer = seedReport({}, { elapsedMs: 1000, itemsDelivered: 100 });
    expect(compareRuns(a, fewer).find((candidate) => candidate.label === "elapsed")).toMatchObject({ better: null, differs: true });
  });

  it("shows each side of a row by its unit, the same in the CLI and the app; a missing side is null", () => {
    const shown = (label: string) => [formatComparisonValue(find(label), find(label).a), formatComparisonValue(find(label), find(label).b)];
    expect(shown("items/s")).toEqual(["100", "125"]);
    expect(shown("preprocess latency p50")).toEqual(["10.0", "10.2"]);
    expect(shown("preprocess utilisation")).toEqual(["95%", "80%"]);
    expect(shown("preprocess.concurrency")).toEqual(["2", "3"]);
    expect(shown("outcome")).toEqual(["completed", "completed"]);
    expect(formatComparisonValue(find("items/s"), null)).toBeNull();
  });

  it("gives a stage only one run has its rows, with the other side empty", () => {
    const renamed = JSON.parse(JSON.stringify(b)) as typeof b;
    renamed.figures.stages[2].name = "resize";
    const resize = compareRuns(a, renamed).filter((candidate) => candidate.stage === "resize");
    expect(resize.map((candidate) => candidate.label)).toContain("resize latency p90");
    expect(resize.every((candidate) => candidate.a === null && candidate.change === null && candidate.better === null)).toBe(true);
  });
});
