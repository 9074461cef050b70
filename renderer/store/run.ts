import { create } from "zustand";
import type { ActivityKind, BottleneckVerdict, FailureView, RunEnded } from "../api/types.js";
import { resetLiveSeries } from "./liveSeries.js";
import { useMetrics } from "./metrics.js";
import { resetWorkers } from "./workers.js";

export type RunStatus = "idle" | "starting" | "running" | "ended";

/** The run on show: the one in progress, or the last one until the next starts or another file opens. */
interface RunState {
  status: RunStatus;
  /** The host's id for it (null until the host names it). */
  id: string | null;
  /** The node ids at run start: live knobs address these stages. */
  stages: string[];
  ended: RunEnded | null;
  /** The bottleneck finder's verdict over the last second of the run (null until judged). */
  bottleneck: Pick<BottleneckVerdict, "stage" | "reason" | "stages"> | null;
  failures: FailureView[];
  peek: { edgeId: string; from: string; to: string; items: string[] } | null;
  /** A live knob the engine refused: which (`numThreads` or `<stage>.concurrency`), and why; shown at the control. */
  knobNote: { knob: string; text: string } | null;
  /** What the host is busy with, whichever page started it (the host is the truth; null: idle). */
  hostActivity: ActivityKind | null;
}

export const useRun = create<RunState>()(() => ({
  status: "idle",
  id: null,
  stages: [],
  ended: null,
  bottleneck: null,
  failures: [],
  peek: null,
  knobNote: null,
  hostActivity: null,
}));

export const isRunning = (status: RunStatus): boolean => status === "running" || status === "starting";

/**
 * Clears the last run from view (its figures, charts, verdict, failures, peek): as a run or an
 * auto-tune's run starts ("starting", with the stages it runs), or as another file opens ("idle").
 */
export function resetRunView(status: "idle" | "starting", stages: string[] = []): void {
  useMetrics.getState().reset();
  resetLiveSeries();
  resetWorkers();
  useRun.setState({ status, id: null, stages, ended: null, bottleneck: null, failures: [], peek: null, knobNote: null });
}
