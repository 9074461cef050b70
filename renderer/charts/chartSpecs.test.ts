import { describe, expect, it } from "vitest";
import { chartData, chartFloor, chartSpecs, edgeLabel } from "./chartSpecs.js";
import { SINK_COLOUR, stageColour } from "./seriesColours.js";
import { RunTimeSeries } from "./timeSeries.js";

function seedRun(): RunTimeSeries {
  const series = new RunTimeSeries(20);
  for (let i = 1; i <= 3; i++) {
    series.record({
      elapsedMs: i * 100,
      stageThroughput: { urls: 10 * i, download: 9 * i, preprocess: 8 * i },
      queueDepth: { "urls->download": 1, "download->preprocess": 2, "preprocess->sink": 0 },
      queueCapacity: { "urls->download": 2, "download->preprocess": 2, "preprocess->sink": 3 },
      pool: { busyThreads: i - 1, waitingTasks: 0, numThreads: 3 },
    });
  }
  return series;
}

const stageIds = ["urls", "download", "preprocess"];

describe("chartSpecs", () => {
  it("names lines by stage id, edge label and pool figure", () => {
    const [throughput, queues, pool] = chartSpecs(seedRun(), stageIds, "sink");
    expect(throughput.lines.map((l) => l.label)).toEqual(["urls", "download", "preprocess"]);
    expect(queues.lines.map((l) => l.label)).toEqual(["urls → download", "download → preprocess", "preprocess → sink"]);
    expect(pool.lines.map((l) => l.label)).toEqual(["busy threads", "waiting tasks", "numThreads"]);
  });

  it("gives a stage one colour on every chart: its throughput and the queue that feeds it", () => {
    const [throughput, queues] = chartSpecs(seedRun(), stageIds, "sink");
    const preprocess = stageColour("preprocess", stageIds);
    expect(throughput.lines.find((l) => l.key === "preprocess")!.colour).toBe(preprocess);
    expect(queues.lines.find((l) => l.key === "download->preprocess")).toMatchObject({ colour: preprocess, stage: "preprocess" });
    expect(queues.lines.find((l) => l.key === "preprocess->sink")).toMatchObject({ colour: SINK_COLOUR, stage: null });
    expect(new Set(throughput.lines.map((l) => l.colour)).size).toBe(3);
  });

  it("feeds uPlot aligned views: time in seconds, then one array per line", () => {
    const series = seedRun();
    const [throughput, , pool] = chartSpecs(series, stageIds, "sink");
    const data = chartData(series, throughput);
    expect(data.map((a) => [...a])).toEqual([
      [0.1, 0.2, 0.3],
      [10, 20, 30],
      [9, 18, 27],
      [8, 16, 24],
    ]);
    expect([...chartData(series, pool)[1]]).toEqual([0, 1, 2]);
  });

  it("scales queue depth to the largest capacity and the pool to its thread count", () => {
    const series = seedRun();
    const [throughput, queues, pool] = chartSpecs(series, stageIds, "sink");
    expect(chartFloor(series, queues)).toBe(3);
    expect(chartFloor(series, pool)).toBe(3);
    expect(chartFloor(series, throughput)).toBe(1);
  });

  it("charts readiness only for a run with a consumer and CPU always, in percent over the last second", () => {
    const sample = (elapsedMs: number, waitedMs: number | null, cpuMs: number) => ({
      elapsedMs,
      stageThroughput: {},
      queueDepth: {},
      queueCapacity: {},
      pool: null,
      consumer: { waitedMs, cpuMs },
    });
    const fed = new RunTimeSeries(20);
    // The consumer waited 100 ms of the first second and none of the next; the CPU 250 ms, then 500 ms.
    fed.record(sample(1000, 100, 250));
    fed.record(sample(2000, 100, 750));
    const consumer = chartSpecs(fed, [], "sink")[3];
    expect(consumer).toMatchObject({ id: "consumer", title: "Readiness and CPU (last second)", unit: "%", linesHaveStages: false });
    expect(consumer.lines.map((l) => l.label)).toEqual(["readiness", "CPU"]);
    expect(chartData(fed, consumer).map((a) => [...a])).toEqual([
      [1, 2],
      [90, 100],
      [25, 50],
    ]);
    expect(chartFloor(fed, consumer)).toBe(100);

    const unfed = new RunTimeSeries(20);
    unfed.record(sample(1000, null, 200));
    const cpuOnly = chartSpecs(unfed, [], "sink")[3];
    expect(cpuOnly.title).toBe("CPU (last second)");
    expect(cpuOnly.lines.map((l) => l.label)).toEqual(["CPU"]);
  });

  it("labels an edge by its ends", () => {
    expect(edgeLabel("a->b")).toBe("a → b");
    expect(edgeLabel("plain")).toBe("plain");
  });
});
