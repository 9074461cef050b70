import { parsePipelineFileOrThrow, type PipelineFile } from "../../spec/index.js";
import type { PipelineSnapshot, QueueSnapshot, StageSnapshot } from "../../stats/snapshot.js";
import { latencyOf, queueSnapshot, stageSnapshot } from "../../testing/snapshots.js";
import { buildRunReport, type RunReport, type RunReportInput } from "../runReport.js";

/** Hand-made specs, snapshots and reports with round figures, for tests of reports and comparisons. */

export function seedSpec(knobs: { download?: number; preprocess?: number; numThreads?: number } = {}): PipelineFile {
  return parsePipelineFileOrThrow({
    format: "pipeline-studio/1",
    name: "Download and preprocess",
    nodes: [
      { id: "urls", kind: "source", op: "range", params: { count: 200 } },
      { id: "download", kind: "stage", op: "sleep", concurrency: knobs.download ?? 4 },
      { id: "preprocess", kind: "stage", op: "cpu", concurrency: knobs.preprocess ?? 2, outputOrder: "input" },
      { id: "sink", kind: "sink", queueSize: 3 },
    ],
    edges: [
      { from: "urls", to: "download" },
      { from: "download", to: "preprocess" },
      { from: "preprocess", to: "sink" },
    ],
    build: { numThreads: knobs.numThreads ?? 3, maxFailures: null },
  });
}

const latency = (p50Ms: number) => latencyOf(p50Ms, { mean: 1.1, p90: 1.5, p99: 2, max: 3 });

function stage(fields: Partial<StageSnapshot> & Pick<StageSnapshot, "name" | "kind">): StageSnapshot {
  return stageSnapshot({ state: "done", itemsIn: 200, itemsOut: 200, latencyMs: latency(0), ...fields });
}

function queue(from: string, to: string, occupancy: number, blockedFraction: number, elapsedMs: number): QueueSnapshot {
  return queueSnapshot({
    from: [from],
    to,
    puts: 200,
    items: 200,
    blockedMs: blockedFraction * elapsedMs,
    starvedMs: (1 - occupancy) * elapsedMs,
    occupancy,
    blockedFraction,
  });
}

export interface SnapshotFigures {
  elapsedMs: number;
  readiness?: number | null;
  cpu?: number;
  itemsDelivered?: number;
  download?: { concurrency?: number; p50Ms?: number; busy?: number };
  preprocess?: { concurrency?: number; p50Ms?: number; busy?: number; failures?: number };
  numThreads?: number;
}

/** The seed pipeline's final snapshot: preprocess saturated with its input queue full, unless told otherwise. */
export function seedSnapshot(figures: SnapshotFigures): PipelineSnapshot {
  const { elapsedMs } = figures;
  const delivered = figures.itemsDelivered ?? 200;
  const preprocessFailures = figures.preprocess?.failures ?? 0;
  return {
    state: "completed",
    paused: false,
    draining: false,
    readiness: figures.readiness ?? null,
    cpu: figures.cpu ?? 0.25,
    elapsedMs,
    itemsDelivered: delivered,
    deliveredPerSecond: 0,
    failures: preprocessFailures,
    stages: [
      stage({ name: "urls", kind: "source", itemsIn: 0, itemsOut: delivered + preprocessFailures }),
      stage({
        name: "download",
        kind: "pipe",
        concurrency: figures.download?.concurrency ?? 4,
        itemsIn: delivered + preprocessFailures,
        itemsOut: delivered + preprocessFailures,
        latencyMs: latency(figures.download?.p50Ms ?? 20),
        busyFractionSinceStart: figures.download?.busy ?? 0.4,
      }),
      stage({
        name: "preprocess",
        kind: "pipe",
        executor: "pool",
        concurrency: figures.preprocess?.concurrency ?? 2,
        itemsIn: delivered + preprocessFailures,
        itemsOut: delivered,
        failures: preprocessFailures,
        latencyMs: latency(figures.preprocess?.p50Ms ?? 10),
        busyFractionSinceStart: figures.preprocess?.busy ?? 0.95,
      }),
    ],
    queues: [
      queue("urls", "download", 0.9, 0.1, elapsedMs),
      queue("download", "preprocess", 0.95, 0.9, elapsedMs),
      queue("preprocess", "sink", 0.2, 0, elapsedMs),
    ],
    pool: {
      numThreads: figures.numThreads ?? 3,
      maxThreads: 8,
      busyThreads: 0,
      waitingTasks: 0,
      runningCalls: 0,
      completedCalls: delivered,
      workerDeaths: 0,
    },
    process: { eventLoopUtilization: 0.3, eventLoopLagMs: { mean: 1, p99: 2, max: 3 }, heapUsedBytes: 1, rssBytes: 1 },
  };
}

/** A report of the seed pipeline run with `knobs`, ending with `figures`. */
export function seedReport(
  knobs: Parameters<typeof seedSpec>[0],
  figures: SnapshotFigures,
  extra: Partial<RunReportInput> = {},
): RunReport {
  const finishedAt = new Date(Date.UTC(2025, 4, 6, 12, 0, 0) + figures.elapsedMs);
  return buildRunReport({
    spec: seedSpec(knobs),
    file: "/work/pipelines/seed.pipeline.json",
    startedAt: new Date(finishedAt.getTime() - figures.elapsedMs),
    finishedAt,
    outcome: "completed",
    snapshot: seedSnapshot(figures),
    ...extra,
  });
}
