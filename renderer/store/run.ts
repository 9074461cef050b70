import { create } from "zustand";
import type { ActivityKind, BottleneckVerdict, FailureView, PipelineFile, RunEnded } from "../api/types.js";
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
  /**
   * The graph of the run on show when this page holds another one (another file opened here):
   * the run's figures are not drawn on this page's nodes, whose ids mean other stages; the page
   * names the run's file and offers to open its graph. Null when the page draws the run's graph.
   */
  runGraph: { spec: PipelineFile; path: string | null } | null;
  /**
   * Demo mode, the toolbar's "Repeat sources": the next run's sources start again when they end,
   * so it goes on until Stop or Drain. A run option of this page, never saved in the file.
   */
  repeatSources: boolean;
  /** The run on show repeats its sources (whichever page started it). */
  repeating: boolean;
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
  runGraph: null,
  repeatSources: false,
  repeating: false,
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
  useRun.setState({
    status,
    id: null,
    stages,
    ended: null,
    bottleneck: null,
    failures: [],
    peek: null,
    knobNote: null,
    runGraph: null,
    repeating: false,
  });
}
