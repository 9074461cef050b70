import { SIZE_BOUNDS } from "../bounds.js";
import type { Pipeline } from "../pipeline.js";
import type { PipelineSnapshot } from "../stats/snapshot.js";
import { findBottleneck } from "./bottleneck.js";
import { measure, measurementBetween, type MeasureWindow } from "./measure.js";
import { resolveGoal, type TuneGoalOptions } from "./tuneGoal.js";
import { RunEndedWhileTuning, searchSettings, type TuneProbe, type TuneResult, type TuneTrial } from "./tuneSearch.js";
import type { TuneSettings } from "./tuneSettings.js";

export type { TunePoint, TuneResult, TuneTrial } from "./tuneSearch.js";

export interface TuneOptions extends TuneGoalOptions {
  /** Most threads the tuned settings may use: numThreads plus each remote stage's worker threads. */
  budgetThreads: number;
  /** Highest concurrency tried per stage (default 32). */
  maxConcurrency?: number;
  /** Time for the whole search, the final measurement included (default 25 s). */
  timeLimitMs?: number;
  /** Each trial: settle after the change, then measure (default 300 ms + 1000 ms). */
  window?: MeasureWindow;
  /** Throughput: a trial is kept only when it raises throughput by more than this fraction (default 0.05): less is noise. */
  minGain?: number;
  signal?: AbortSignal;
  /** What the first measurement is called (default "the file's settings"). */
  startingPoint?: string;
  /** After each measurement: the baseline, every trial, the final one. */
  onTrial?: (trial: TuneTrial) => void;
}

const DEFAULT_WINDOW: MeasureWindow = { settleMs: 300, measureMs: 1000 };
const DEFAULT_TIME_LIMIT_MS = 25_000;
const DEFAULT_MAX_CONCURRENCY = 32;
const DEFAULT_MIN_GAIN = 0.05;

/**
 * Tunes concurrency per stage, pool threads and remote stages' worker threads on a running
 * pipeline, live (setConcurrency / setNumThreads / setWorkerThreads; the thread budget counts pool
 * threads and each remote stage's worker threads): measure, ask the bottleneck finder what limits it, try the moves that would
 * lift that limit (more slots for the limiting stage, more threads for a pool-bound one, both),
 * keep a move only when it clearly helps, and end when nothing does, the bounds are reached or
 * time runs out. The objective says what helps: the highest end-to-end throughput, or (with a
 * consumer, the default then) the consumer's readiness reaching its target, after which the
 * search trims threads and slots while the target holds — kept fed at least cost. A CPU budget
 * refuses any setting that uses more. The caller keeps the pipeline fed and consumed (a
 * repeating source suits it) and stops it afterwards.
 */
export async function autoTune(pipeline: Pipeline<unknown>, initial: TuneSettings, options: TuneOptions): Promise<TuneResult> {
  const { budget, maxConcurrency } = tuneBounds(options);
  const goal = resolveGoal(options, pipeline.consumer !== undefined);
  return searchSettings(pipelineProbe(pipeline), initial, {
    goal,
    budget,
    maxConcurrency,
    timeLimitMs: options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS,
    window: options.window ?? DEFAULT_WINDOW,
    minGain: options.minGain ?? DEFAULT_MIN_GAIN,
    signal: options.signal,
    startingPoint: options.startingPoint ?? "the file's settings",
    onTrial: options.onTrial,
  });
}

/** The search's view of a live pipeline: knobs set live, figures from its snapshots. */
function pipelineProbe(pipeline: Pipeline<unknown>): TuneProbe {
  let windowStart: PipelineSnapshot | null = null;
  return {
    apply(settings) {
      pipeline.setNumThreads(settings.numThreads);
      for (const [stage, concurrency] of Object.entries(settings.concurrency)) pipeline.setConcurrency(stage, concurrency);
      for (const [stage, threads] of Object.entries(settings.workerThreads ?? {})) pipeline.setWorkerThreads(stage, threads);
    },
    async measure(window, continued, signal) {
      const measured = await measure(pipeline, continued ? { settleMs: 0, measureMs: window.measureMs } : window, signal);
      if (!continued || windowStart === null) windowStart = measured.start;
      return continued ? measurementBetween(windowStart, measured.end) : measured;
    },
    verdict: (measurement) => findBottleneck(measurement.end, measurement.start),
    requireRunning() {
      if (pipeline.state === "running") return;
      const failure = pipeline.failures().at(-1);
      throw new RunEndedWhileTuning(pipeline.state === "failed", failure ? `${failure.stage}: ${failure.error.message}` : "");
    },
  };
}

/** The search bounds, checked: a clear error before anything runs. */
export function tuneBounds(options: Pick<TuneOptions, "budgetThreads" | "maxConcurrency">): { budget: number; maxConcurrency: number } {
  return {
    budget: wholeNumberUpTo("budgetThreads", options.budgetThreads, SIZE_BOUNDS.numThreads.max),
    maxConcurrency: wholeNumberUpTo("maxConcurrency", options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY, SIZE_BOUNDS.concurrency.max),
  };
}

function wholeNumberUpTo(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`auto-tune: ${name} must be a whole number of at least 1, got ${value}`);
  if (value > max) throw new RangeError(`auto-tune: ${name} must be at most ${max}, got ${value}`);
  return value;
}
