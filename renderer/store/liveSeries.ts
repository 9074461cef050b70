import { create } from "zustand";
import type { PipelineSnapshot } from "../api/types.js";
import { queueEdges } from "./metrics.js";
import { RunTimeSeries, toTimeSample } from "../charts/timeSeries.js";

interface LiveSeriesState {
  runId: string | null;
  /** The current run's history (a fresh one per run; the last run's stays after it ends). */
  series: RunTimeSeries;
  /** Bumped on every kept sample: charts and sparklines redraw on it, nothing else re-renders. */
  version: number;
  /** The series' names joined: changes only when a series appears, so chart set-up reruns only then. */
  seriesKeys: string;
}

export const useLiveSeries = create<LiveSeriesState>()(() => ({ runId: null, series: new RunTimeSeries(), version: 0, seriesKeys: "" }));

const keysOf = (series: RunTimeSeries): string =>
  [series.throughput.keys(), series.queueDepth.keys(), series.pool.keys(), series.consumer.keys()].map((keys) => keys.join(",")).join("|");

/** Records a runStats (or the final) snapshot; a new run id starts a new history. */
export function recordSnapshot(runId: string, snapshot: PipelineSnapshot, sinkId: string | null): void {
  const state = useLiveSeries.getState();
  const series = state.runId === runId ? state.series : new RunTimeSeries();
  const kept = series.record(toTimeSample(snapshot, (queue) => queueEdges(queue, sinkId)));
  if (!kept && series === state.series) return;
  useLiveSeries.setState({ runId, series, version: state.version + 1, seriesKeys: keysOf(series) });
}

/** Forgets the charted run (another file was opened, or a new run is starting). */
export function resetLiveSeries(): void {
  useLiveSeries.setState((state) => ({ runId: null, series: new RunTimeSeries(), version: state.version + 1, seriesKeys: "" }));
}
