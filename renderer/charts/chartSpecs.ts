import { CONSUMER_COLOURS, POOL_COLOURS, SINK_COLOUR, stageColour } from "./seriesColours.js";
import type { RunTimeSeries, SeriesGroup } from "./timeSeries.js";

/** One line on a chart: its ring's key, its legend name, and the stage it belongs to (for hover focus). */
export interface ChartLine {
  key: string;
  label: string;
  colour: string;
  stage: string | null;
  dash?: number[];
}

export type ChartId = "throughput" | "queues" | "pool" | "consumer";

export interface LiveChartSpec {
  id: ChartId;
  title: string;
  /** The y axis' label. */
  unit: string;
  lines: ChartLine[];
  /** Whether pointing at a line on this chart highlights a stage (the pool's lines belong to none). */
  linesHaveStages: boolean;
  /** Shown instead of a chart when the run has none of its lines. */
  emptyNote: string;
  /** Marks the remote workers' joins, leaves and stalls on it (the throughput chart: where their effect shows). */
  workerMarkers: boolean;
}

/** Edge ids are `from->to` (store/document.ts); the legend names a queue by its ends. */
export function edgeLabel(edge: string): string {
  const at = edge.indexOf("->");
  return at < 0 ? edge : `${edge.slice(0, at)} → ${edge.slice(at + 2)}`;
}

const edgeTarget = (edge: string): string => edge.slice(edge.indexOf("->") + 2);

const POOL_LINES: Record<string, Omit<ChartLine, "key">> = {
  busyThreads: { label: "busy threads", colour: POOL_COLOURS.busyThreads, stage: null },
  waitingTasks: { label: "waiting tasks", colour: POOL_COLOURS.waitingTasks, stage: null },
  numThreads: { label: "numThreads", colour: POOL_COLOURS.numThreads, stage: null, dash: [4, 3] },
};

const CONSUMER_LINES: Record<string, Omit<ChartLine, "key">> = {
  readiness: { label: "readiness", colour: CONSUMER_COLOURS.readiness, stage: null },
  cpu: { label: "CPU", colour: CONSUMER_COLOURS.cpu, stage: null },
};

/**
 * The four charts for a run's series. Stage colours follow the document's order (`stageIds`,
 * sink excluded) so they match the node swatches; a queue takes the colour of the stage it feeds
 * and belongs to it for hover, since the queue is that stage's input.
 */
export function chartSpecs(series: RunTimeSeries, stageIds: readonly string[], sinkId: string | null): LiveChartSpec[] {
  const throughput: ChartLine[] = series.throughput
    .keys()
    .map((stage) => ({ key: stage, label: stage, colour: stageColour(stage, stageIds), stage }));
  const queues: ChartLine[] = series.queueDepth.keys().map((edge) => {
    const target = edgeTarget(edge);
    const intoSink = target === sinkId;
    return {
      key: edge,
      label: edgeLabel(edge),
      colour: intoSink ? SINK_COLOUR : stageColour(target, stageIds),
      stage: intoSink ? null : target,
    };
  });
  const pool: ChartLine[] = series.pool.keys().flatMap((key) => (POOL_LINES[key] ? [{ key, ...POOL_LINES[key] }] : []));
  const consumer: ChartLine[] = series.consumer.keys().flatMap((key) => (CONSUMER_LINES[key] ? [{ key, ...CONSUMER_LINES[key] }] : []));
  return [
    {
      id: "throughput",
      title: "Throughput per stage",
      unit: "items/s",
      lines: throughput,
      linesHaveStages: true,
      emptyNote: "No stages ran.",
      workerMarkers: true,
    },
    {
      id: "queues",
      title: "Queue depth per edge",
      unit: "items queued",
      lines: queues,
      linesHaveStages: true,
      emptyNote: "No queues.",
      workerMarkers: false,
    },
    {
      id: "pool",
      title: "Thread pool",
      unit: "threads",
      lines: pool,
      linesHaveStages: false,
      emptyNote: "No pool stage in this run: every op ran on the event loop.",
      workerMarkers: false,
    },
    {
      id: "consumer",
      // Readiness is drawn only for a run whose sink has a consumer; CPU always.
      title: series.consumer.ring("readiness") ? "Readiness and CPU (last second)" : "CPU (last second)",
      unit: "%",
      lines: consumer,
      linesHaveStages: false,
      workerMarkers: false,
      emptyNote: "No CPU figures yet.",
    },
  ];
}

function groupOf(series: RunTimeSeries, chart: ChartId): SeriesGroup {
  const groups: Record<ChartId, SeriesGroup> = {
    throughput: series.throughput,
    queues: series.queueDepth,
    pool: series.pool,
    consumer: series.consumer,
  };
  return groups[chart];
}

/** uPlot's aligned data for a chart: the time axis, then one ring view per line (no copies). */
export function chartData(series: RunTimeSeries, spec: LiveChartSpec): [Float64Array, ...Float64Array[]] {
  const time = series.time();
  const group = groupOf(series, spec.id);
  return [time, ...spec.lines.map((line) => group.ring(line.key)?.window() ?? new Float64Array(time.length))];
}

/** The least top the y axis may have: a queue chart reaches its largest capacity, the pool chart its thread count, shares 100 %. */
export function chartFloor(series: RunTimeSeries, spec: LiveChartSpec): number {
  if (spec.id === "consumer") return 100;
  if (spec.id === "queues") return Math.max(1, ...spec.lines.map((line) => series.queueCapacity(line.key) ?? 0));
  if (spec.id === "pool") return Math.max(1, series.poolThreads());
  return 1;
}
