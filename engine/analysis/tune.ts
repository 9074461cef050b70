import { SIZE_BOUNDS } from "../bounds.js";
import { formatPercent } from "../format.js";
import type { Pipeline } from "../pipeline.js";
import type { PipelineSnapshot } from "../stats/snapshot.js";
import { findBottleneck, type BottleneckVerdict } from "./bottleneck.js";
import { measure, type MeasureWindow, type Measurement } from "./measure.js";
import { clampSettings, describeChanges, settingsKey, threadsUsed, withObservedWorkerThreads, type TuneSettings } from "./tuneSettings.js";

export interface TuneOptions {
  /** Most threads the tuned settings may use: numThreads plus each remote stage's worker threads. */
  budgetThreads: number;
  /** Highest concurrency tried per stage (default 32). */
  maxConcurrency?: number;
  /** Time for the whole search, the final measurement included (default 25 s). */
  timeLimitMs?: number;
  /** Each trial: settle after the change, then measure (default 300 ms + 1000 ms). */
  window?: MeasureWindow;
  /** A trial is kept only when it raises throughput by more than this fraction (default 0.05): less is noise. */
  minGain?: number;
  signal?: AbortSignal;
  /** What the first measurement is called (default "the file's settings"). */
  startingPoint?: string;
  /** After each measurement: the baseline, every trial, the final one. */
  onTrial?: (trial: TuneTrial) => void;
}

export interface TuneTrial {
  kind: "baseline" | "trial" | "final";
  settings: TuneSettings;
  /** What the trial changed from the best settings so far. */
  change: string;
  deliveredPerSecond: number;
  kept: boolean;
}

export interface TuneResult {
  before: { settings: TuneSettings; deliveredPerSecond: number; verdict: BottleneckVerdict };
  after: { settings: TuneSettings; deliveredPerSecond: number; verdict: BottleneckVerdict };
  /** after ÷ before; null when nothing was delivered before. */
  speedup: number | null;
  trials: TuneTrial[];
  /** Why the search ended, in words. */
  stoppedBecause: string;
  /** Set when the pipeline stopped under the search: its source ran out, or it failed. */
  interruptedBy: "run-ended" | "pipeline-failed" | null;
  /** When a bound of the search is what holds the result back: which one, in words (else null). */
  limitedBy: string | null;
  elapsedMs: number;
}

const DEFAULT_WINDOW: MeasureWindow = { settleMs: 300, measureMs: 1000 };
const DEFAULT_TIME_LIMIT_MS = 25_000;
const DEFAULT_MAX_CONCURRENCY = 32;
const DEFAULT_MIN_GAIN = 0.05;
/** Moves tried per round before the search gives up on the current best. */
const MOVES_PER_ROUND = 3;
/** A stage this busy (slots in use ÷ concurrency) might go faster with more slots. */
const BUSY = 0.5;

/**
 * Hill-climbs concurrency per stage, pool threads and remote stages' worker threads on a running
 * pipeline, for the highest end-to-end throughput: measure, ask the bottleneck finder what limits
 * it, try the moves that would lift that limit (more slots for the limiting stage, more threads
 * for a pool-bound one or its workers for a remote one, both), keep a move only when throughput
 * rises clearly, and end when nothing does, the bounds are reached or time runs out. The thread
 * budget counts pool threads and each remote stage's worker threads. Knobs change live
 * (setConcurrency / setNumThreads / setWorkerThreads); the caller keeps the pipeline fed and
 * consumed (a repeating source suits it) and stops it afterwards.
 */
export async function autoTune(pipeline: Pipeline<unknown>, initial: TuneSettings, options: TuneOptions): Promise<TuneResult> {
  const started = performance.now();
  const { budget, maxConcurrency } = tuneBounds(options);
  const timeLimitMs = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
  const window = options.window ?? DEFAULT_WINDOW;
  const minGain = options.minGain ?? DEFAULT_MIN_GAIN;
  const trialMs = window.settleMs + window.measureMs;
  const trials: TuneTrial[] = [];
  const tried = new Set<string>();

  const apply = (settings: TuneSettings) => {
    pipeline.setNumThreads(settings.numThreads);
    for (const [stage, concurrency] of Object.entries(settings.concurrency)) pipeline.setConcurrency(stage, concurrency);
    for (const [stage, threads] of Object.entries(settings.workerThreads ?? {})) pipeline.setWorkerThreads(stage, threads);
  };
  /**
   * Measures `settings`; `keep` decides from the measurement whether they become the best. A
   * measurement that would be kept is confirmed by a second window straight after (no change in
   * between) and judged on both: one lucky second must not set a bar no later trial can pass.
   */
  const run = async (
    kind: TuneTrial["kind"],
    settings: TuneSettings,
    change: string,
    keep: (measurement: Measurement) => boolean,
  ): Promise<Measurement> => {
    apply(settings);
    let measurement = await measure(pipeline, window, options.signal);
    requireRunning();
    if (kind === "trial" && keep(measurement)) {
      const confirmation = await measure(pipeline, { settleMs: 0, measureMs: window.measureMs }, options.signal);
      requireRunning();
      measurement = combine(measurement, confirmation);
    }
    const trial: TuneTrial = { kind, settings, change, deliveredPerSecond: round(measurement.deliveredPerSecond), kept: keep(measurement) };
    trials.push(trial);
    options.onTrial?.(trial);
    return measurement;
  };
  const requireRunning = () => {
    if (pipeline.state === "running") return;
    const failure = pipeline.failures().at(-1);
    throw new RunEndedWhileTuning(pipeline.state === "failed", failure ? `${failure.stage}: ${failure.error.message}` : "");
  };
  const always = () => true;

  const startingPoint = options.startingPoint ?? "the file's settings";
  let baseline: Measurement;
  try {
    baseline = await run("baseline", initial, startingPoint, always);
  } catch (error) {
    if (error instanceof RunEndedWhileTuning)
      throw new Error(
        `auto-tune: the pipeline ${error.failed ? "failed" : "ended"} before its first measurement${error.reason ? `: ${error.reason}` : ""}`,
        { cause: error },
      );
    throw error;
  }
  // Worker threads are not in the file: the search starts from what the run's workers have.
  const starting = withObservedWorkerThreads(initial, baseline.end);
  const before = { settings: starting, deliveredPerSecond: round(baseline.deliveredPerSecond), verdict: verdictOf(baseline) };
  let best = { settings: starting, measurement: baseline };
  tried.add(settingsKey(starting));
  let stoppedBecause: string;

  // A run the tuner does not own may end (its source runs out): keep what was learnt until then.
  let final: Measurement | null = null;
  let interruptedBy: TuneResult["interruptedBy"] = null;
  try {
    // Settings outside the bounds (more threads than the budget) are brought within them first,
    // whatever that costs: the result must keep to the budget.
    const start = clampSettings(starting, budget, maxConcurrency);
    if (settingsKey(start) !== settingsKey(starting)) {
      tried.add(settingsKey(start));
      best = { settings: start, measurement: await run("trial", start, `${describeChanges(starting, start)} (within the bounds)`, always) };
    }
    search: for (;;) {
      const moves = proposeMoves(best.settings, best.measurement.end, verdictOf(best.measurement), { budget, maxConcurrency }).filter(
        (move) => !tried.has(settingsKey(move)),
      );
      if (moves.length === 0) {
        stoppedBecause = nothingToTry(verdictOf(best.measurement));
        break;
      }
      for (const move of moves.slice(0, MOVES_PER_ROUND)) {
        // Leave time for this trial, its confirmation and the final measurement.
        if (performance.now() - started + 2 * trialMs + window.measureMs > timeLimitMs) {
          stoppedBecause = "the time limit was reached";
          break search;
        }
        tried.add(settingsKey(move));
        const bar = best.measurement.deliveredPerSecond * (1 + minGain);
        const measurement = await run(
          "trial",
          move,
          describeChanges(best.settings, move),
          (candidate) => candidate.deliveredPerSecond > bar,
        );
        if (measurement.deliveredPerSecond > bar) {
          best = { settings: move, measurement };
          continue search;
        }
      }
      stoppedBecause = `no change raised throughput by more than ${formatPercent(minGain)}`;
      break;
    }

    final = await run("final", best.settings, describeChanges(starting, best.settings), always);
  } catch (error) {
    if (!(error instanceof RunEndedWhileTuning)) {
      // Cancelled (or broken): a run that goes on gets back the settings it had.
      if (pipeline.state === "running") apply(starting);
      throw error;
    }
    interruptedBy = error.failed ? "pipeline-failed" : "run-ended";
    stoppedBecause = error.failed
      ? `the pipeline failed before the search finished: ${error.reason}`
      : "the run ended before the search finished (a run with no end tunes longer)";
  }
  const judged = final ?? best.measurement;
  const after = { settings: best.settings, deliveredPerSecond: round(judged.deliveredPerSecond), verdict: verdictOf(judged) };
  return {
    before,
    after,
    speedup: before.deliveredPerSecond > 0 ? round(after.deliveredPerSecond / before.deliveredPerSecond, 2) : null,
    trials,
    stoppedBecause,
    interruptedBy,
    limitedBy: boundHolding(after.verdict, after.settings, budget, maxConcurrency),
    elapsedMs: Math.round(performance.now() - started),
  };
}

/** The pipeline stopped running between two measurements. */
class RunEndedWhileTuning extends Error {
  constructor(
    readonly failed: boolean,
    /** The last failure, "stage: message", when there was one. */
    readonly reason: string,
  ) {
    super(failed ? "the pipeline failed while it was being tuned" : "the pipeline ended while it was being tuned");
  }
}

/** Why no move is left, from what limits the pipeline now. */
function nothingToTry(verdict: BottleneckVerdict): string {
  const limiting = verdict.stages.find((diagnosis) => diagnosis.stage === verdict.stage);
  if (!limiting) return "no stage limits throughput: the source or the consumer sets the pace";
  if (limiting.condition === "event-loop-bound")
    return `${limiting.stage} runs a synchronous op inline on the event loop: no knob helps — run it on the worker pool`;
  return "no setting left to try within the thread budget and concurrency bound";
}

/** Two back-to-back windows as one: delivered items over the time of both. */
function combine(first: Measurement, second: Measurement): Measurement {
  const items = second.end.itemsDelivered - first.start.itemsDelivered;
  const ms = second.end.elapsedMs - first.start.elapsedMs;
  return { deliveredPerSecond: ms > 0 ? items / (ms / 1000) : 0, start: first.start, end: second.end };
}

function verdictOf(measurement: Measurement): BottleneckVerdict {
  return findBottleneck(measurement.end, measurement.start);
}

/**
 * Settings worth trying next, most promising first: lift what the bottleneck finder says
 * limits throughput; failing a verdict, give the busiest stages more slots.
 */
export function proposeMoves(
  current: TuneSettings,
  snapshot: PipelineSnapshot,
  verdict: BottleneckVerdict,
  bounds: { budget: number; maxConcurrency: number },
): TuneSettings[] {
  /** Half as many again (at least one more), within what the budget has left. */
  const raised = (now: number, room: number): number => Math.min(now + room, Math.max(now + 1, Math.ceil(now * 1.5)));
  const moreThreads = (settings: TuneSettings): TuneSettings | null => {
    const room = bounds.budget - threadsUsed(settings);
    return room <= 0 ? null : { ...settings, numThreads: raised(settings.numThreads, room) };
  };
  const moreWorkerThreads = (settings: TuneSettings, stage: string): TuneSettings | null => {
    const now = settings.workerThreads?.[stage];
    const room = bounds.budget - threadsUsed(settings);
    if (now === undefined || room <= 0) return null;
    return { ...settings, workerThreads: { ...settings.workerThreads, [stage]: raised(now, room) } };
  };
  const moreSlots = (settings: TuneSettings, stage: string): TuneSettings | null => {
    const now = settings.concurrency[stage];
    if (now === undefined || now >= bounds.maxConcurrency) return null;
    return { ...settings, concurrency: { ...settings.concurrency, [stage]: Math.min(bounds.maxConcurrency, now * 2) } };
  };
  const executorOf = (stage: string) => snapshot.stages.find((candidate) => candidate.name === stage)?.executor;
  /** A stage whose calls run on threads: the pool's, or (remote) its workers'. */
  const threaded = (stage: string) => executorOf(stage) === "pool" || executorOf(stage) === "remote";
  /** More of what runs the stage's calls: its workers' threads for a remote stage, else the pool's. */
  const moreCapacity = (settings: TuneSettings, stage: string) =>
    executorOf(stage) === "remote" ? moreWorkerThreads(settings, stage) : moreThreads(settings);
  const both = (stage: string) => {
    const slots = moreSlots(current, stage);
    return slots && moreCapacity(slots, stage);
  };

  const moves: Array<TuneSettings | null> = [];
  const limiting = verdict.stages.find((diagnosis) => diagnosis.stage === verdict.stage);
  if (limiting?.condition === "pool-bound")
    moves.push(moreCapacity(current, limiting.stage), both(limiting.stage), moreSlots(current, limiting.stage));
  else if (limiting?.condition === "bottleneck") {
    moves.push(moreSlots(current, limiting.stage));
    if (threaded(limiting.stage)) moves.push(both(limiting.stage), moreCapacity(current, limiting.stage));
  }
  // Then every stage that looks busy, the busiest first (the verdict may have judged a noisy second).
  for (const diagnosis of [...verdict.stages].sort((a, b) => b.busy - a.busy)) {
    if (diagnosis.busy < BUSY || diagnosis.condition === "event-loop-bound") continue;
    moves.push(moreSlots(current, diagnosis.stage));
    if (threaded(diagnosis.stage)) moves.push(moreCapacity(current, diagnosis.stage), both(diagnosis.stage));
  }
  const seen = new Set<string>();
  return moves.filter((move): move is TuneSettings => {
    if (!move) return false;
    const key = settingsKey(move);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Says so when the limiting stage wants more than the search may give it. */
function boundHolding(verdict: BottleneckVerdict, settings: TuneSettings, budget: number, maxConcurrency: number): string | null {
  const limiting = verdict.stages.find((diagnosis) => diagnosis.stage === verdict.stage);
  if (!limiting) return null;
  if (limiting.condition === "pool-bound" && threadsUsed(settings) >= budget) {
    return settings.workerThreads?.[limiting.stage] !== undefined
      ? `the thread budget (${budget}) is used up and ${limiting.stage} still waits for workers: a larger budget, or more workers, may help`
      : `the thread budget (${budget}) is used up and ${limiting.stage} still waits for threads: a larger budget may help`;
  }
  if (limiting.condition === "bottleneck" && settings.concurrency[limiting.stage] >= maxConcurrency) {
    return `${limiting.stage} is at the concurrency bound (${maxConcurrency}): a higher bound may help`;
  }
  return null;
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

function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
