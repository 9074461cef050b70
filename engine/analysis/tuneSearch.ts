import { formatPercent } from "../format.js";
import type { BottleneckVerdict } from "./bottleneck.js";
import { pooled, type MeasureWindow, type Measurement } from "./measure.js";
import { goalOutcome, readinessReached, withinCpuBudget, type TuneGoal, type TuneGoalOutcome } from "./tuneGoal.js";
import { cheaperMoves, proposeMoves } from "./tuneMoves.js";
import { clampSettings, describeChanges, settingsKey, threadsUsed, withObservedWorkerThreads, type TuneSettings } from "./tuneSettings.js";

export interface TuneTrial {
  kind: "baseline" | "trial" | "final";
  settings: TuneSettings;
  /** What the trial changed from the best settings so far. */
  change: string;
  deliveredPerSecond: number;
  /** The consumer's readiness over the trial (0–1); null without a consumer. */
  readiness: number | null;
  /** The process's CPU share over the trial (0–1 of the machine). */
  cpu: number;
  kept: boolean;
}

/** What one setting gave: items/s, readiness and CPU over its measurement. */
export interface TunePoint {
  settings: TuneSettings;
  deliveredPerSecond: number;
  readiness: number | null;
  cpu: number;
  verdict: BottleneckVerdict;
}

export interface TuneResult {
  before: TunePoint;
  after: TunePoint;
  /** after ÷ before in items/s; null when nothing was delivered before. */
  speedup: number | null;
  /** The goal, whether the settings found reach it, and what they cost (threads, CPU share). */
  goal: TuneGoalOutcome;
  trials: TuneTrial[];
  /** Why the search ended, in words. */
  stoppedBecause: string;
  /** Set when the pipeline stopped under the search: its source ran out, or it failed. */
  interruptedBy: "run-ended" | "pipeline-failed" | null;
  /** When a bound of the search is what holds the result back: which one, in words (else null). */
  limitedBy: string | null;
  elapsedMs: number;
}

/** What the search needs of a running pipeline: turn the knobs, measure, and know it still runs. */
export interface TuneProbe {
  apply(settings: TuneSettings): void;
  /**
   * Lets the settings settle, then measures a window. `continued`: no settling; the window
   * follows the previous one straight on, and the measurement covers both.
   */
  measure(window: MeasureWindow, continued: boolean, signal?: AbortSignal): Promise<Measurement>;
  /** What limits the pipeline over a measurement. */
  verdict(measurement: Measurement): BottleneckVerdict;
  /** Throws RunEndedWhileTuning once the pipeline no longer runs. */
  requireRunning(): void;
}

export interface SearchOptions {
  goal: TuneGoal;
  budget: number;
  maxConcurrency: number;
  timeLimitMs: number;
  window: MeasureWindow;
  /** Throughput: a trial is kept only when it raises items/s by more than this fraction (less is noise). */
  minGain: number;
  signal?: AbortSignal;
  /** What the first measurement is called. */
  startingPoint: string;
  onTrial?: (trial: TuneTrial) => void;
}

/** Readiness: below the target, a trial is kept only when it raises readiness by more than this (less is noise). */
const READINESS_GAIN = 0.01;
/** Moves tried per round before the search gives up on the current best. */
const MOVES_PER_ROUND = 3;

/** The pipeline stopped running between two measurements. */
export class RunEndedWhileTuning extends Error {
  constructor(
    readonly failed: boolean,
    /** The last failure, "stage: message", when there was one. */
    readonly reason: string,
  ) {
    super(failed ? "the pipeline failed while it was being tuned" : "the pipeline ended while it was being tuned");
  }
}

type Keep = (candidate: Measurement) => boolean;

/**
 * The search over a running pipeline's knobs (see autoTune). Throughput: climb while a move
 * raises items/s clearly. Readiness: climb while a move raises readiness clearly until it
 * reaches the target, then trim — fewer threads, then fewer slots — as long as the target
 * holds. A CPU budget refuses any move that goes over it.
 */
export async function searchSettings(probe: TuneProbe, initial: TuneSettings, options: SearchOptions): Promise<TuneResult> {
  const started = performance.now();
  const { goal, budget, maxConcurrency, window } = options;
  const trialMs = window.settleMs + window.measureMs;
  const trials: TuneTrial[] = [];
  const tried = new Set<string>();

  /**
   * Measures `settings`; `keep` decides from the measurement whether they become the best. A
   * measurement that would be kept is confirmed by a second window straight after (no change in
   * between) and judged on both: one lucky second must not set a bar no later trial can pass.
   */
  const run = async (kind: TuneTrial["kind"], settings: TuneSettings, change: string, keep: Keep): Promise<Measurement> => {
    probe.apply(settings);
    let measurement = await probe.measure(window, false, options.signal);
    probe.requireRunning();
    if (kind === "trial" && keep(measurement)) {
      measurement = await probe.measure(window, true, options.signal);
      probe.requireRunning();
    }
    const trial: TuneTrial = {
      kind,
      settings,
      change,
      deliveredPerSecond: round(measurement.deliveredPerSecond),
      readiness: measurement.readiness === null ? null : round(measurement.readiness, 4),
      cpu: round(measurement.cpu, 4),
      kept: keep(measurement),
    };
    trials.push(trial);
    options.onTrial?.(trial);
    return measurement;
  };
  const always = () => true;
  const outOfTime = () => performance.now() - started + 2 * trialMs + window.measureMs > options.timeLimitMs;

  let baseline: Measurement;
  try {
    baseline = await run("baseline", initial, options.startingPoint, always);
  } catch (error) {
    if (error instanceof RunEndedWhileTuning)
      throw new Error(
        `auto-tune: the pipeline ${error.failed ? "failed" : "ended"} before its first measurement${error.reason ? `: ${error.reason}` : ""}`,
        { cause: error },
      );
    throw error;
  }
  const point = (settings: TuneSettings, measurement: Measurement): TunePoint => ({
    settings,
    deliveredPerSecond: round(measurement.deliveredPerSecond),
    readiness: measurement.readiness === null ? null : round(measurement.readiness, 4),
    cpu: round(measurement.cpu, 4),
    verdict: probe.verdict(measurement),
  });
  // Worker threads are not in the file: the search starts from what the run's workers have.
  const starting = withObservedWorkerThreads(initial, baseline.end);
  const before = point(starting, baseline);
  let best = { settings: starting, measurement: baseline };
  tried.add(settingsKey(starting));
  let stoppedBecause = "";

  /**
   * Tries up to a round of moves, in order, keeping the first that `keep` accepts against the
   * best so far. Returns "kept", "none" (none was), or "time" (no time left for another).
   */
  const tryMoves = async (moves: TuneSettings[], keep: (candidate: Measurement, best: Measurement) => boolean) => {
    for (const move of moves.filter((candidate) => !tried.has(settingsKey(candidate))).slice(0, MOVES_PER_ROUND)) {
      // Leave time for this trial, its confirmation and the final measurement.
      if (outOfTime()) return "time";
      tried.add(settingsKey(move));
      const bar = best.measurement;
      const measurement = await run("trial", move, describeChanges(best.settings, move), (candidate) => keep(candidate, bar));
      if (keep(measurement, bar)) {
        best = { settings: move, measurement };
        return "kept";
      }
    }
    return "none";
  };
  const untried = (moves: TuneSettings[]) => moves.filter((move) => !tried.has(settingsKey(move)));
  const climbMoves = () =>
    untried(proposeMoves(best.settings, best.measurement.end, probe.verdict(best.measurement), { budget, maxConcurrency }));

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

    if (goal.objective === "throughput") {
      const raises = (candidate: Measurement, bar: Measurement) =>
        withinCpuBudget(candidate, goal) && candidate.deliveredPerSecond > bar.deliveredPerSecond * (1 + options.minGain);
      for (;;) {
        const moves = climbMoves();
        if (moves.length === 0) {
          stoppedBecause = nothingToTry(probe.verdict(best.measurement), "throughput");
          break;
        }
        const outcome = await tryMoves(moves, raises);
        if (outcome === "kept") continue;
        stoppedBecause =
          outcome === "time"
            ? "the time limit was reached"
            : `no change raised throughput by more than ${formatPercent(options.minGain)}${goal.cpuBudget === null ? "" : " within the CPU budget"}`;
        break;
      }
    } else {
      // Climb to the target: a move counts when it reaches it, or brings readiness clearly closer.
      const closer = (candidate: Measurement, bar: Measurement) =>
        withinCpuBudget(candidate, goal) &&
        (readinessReached(candidate, goal) || (candidate.readiness ?? 0) > (bar.readiness ?? 0) + READINESS_GAIN);
      while (!readinessReached(best.measurement, goal)) {
        const moves = climbMoves();
        if (moves.length === 0) {
          stoppedBecause = nothingToTry(probe.verdict(best.measurement), "readiness");
          break;
        }
        const outcome = await tryMoves(moves, closer);
        if (outcome === "kept") continue;
        stoppedBecause =
          outcome === "time"
            ? "the time limit was reached"
            : `no change raised readiness by more than ${READINESS_GAIN * 100} point${goal.cpuBudget === null ? "" : " within the CPU budget"}`;
        break;
      }
      // Then cost less: a cheaper setting counts when the target still holds (and the CPU budget,
      // when the best so far keeps to it).
      if (readinessReached(best.measurement, goal)) {
        const holds = (candidate: Measurement, bar: Measurement) =>
          readinessReached(candidate, goal) && (withinCpuBudget(candidate, goal) || !withinCpuBudget(bar, goal));
        for (;;) {
          const moves = untried(cheaperMoves(best.settings, probe.verdict(best.measurement)));
          const outcome = moves.length === 0 ? "none" : await tryMoves(moves, holds);
          // Every cheaper setting gets its try, a round at a time.
          if (outcome === "kept" || (outcome === "none" && moves.length > MOVES_PER_ROUND)) continue;
          stoppedBecause =
            outcome === "time"
              ? "the time limit was reached"
              : "readiness reached its target, and no setting with fewer threads or slots kept it there";
          break;
        }
      }
    }

    final = await run("final", best.settings, describeChanges(starting, best.settings), always);
  } catch (error) {
    if (!(error instanceof RunEndedWhileTuning)) {
      // Cancelled (or broken): a run that goes on gets back the settings it had.
      try {
        probe.requireRunning();
        probe.apply(starting);
      } catch {
        // It has ended: nothing to give back.
      }
      throw error;
    }
    interruptedBy = error.failed ? "pipeline-failed" : "run-ended";
    stoppedBecause = error.failed
      ? `the pipeline failed before the search finished: ${error.reason}`
      : "the run ended before the search finished (a run with no end tunes longer)";
  }
  // The settings found were measured when kept and again at the end: judged on both windows.
  const judged = final ? pooled(best.measurement, final) : best.measurement;
  const after = point(best.settings, judged);
  return {
    before,
    after,
    speedup: before.deliveredPerSecond > 0 ? round(after.deliveredPerSecond / before.deliveredPerSecond, 2) : null,
    goal: goalOutcome(goal, best.settings.numThreads, after),
    trials,
    stoppedBecause,
    interruptedBy,
    limitedBy: boundHolding(after.verdict, after.settings, budget, maxConcurrency),
    elapsedMs: Math.round(performance.now() - started),
  };
}

/** Why no move is left, from what limits the pipeline now. */
function nothingToTry(verdict: BottleneckVerdict, objective: TuneGoal["objective"]): string {
  const limiting = verdict.stages.find((diagnosis) => diagnosis.stage === verdict.stage);
  if (!limiting)
    return objective === "throughput"
      ? "no stage limits throughput: the source or the consumer sets the pace"
      : "no stage limits the pipeline, yet the consumer waits: the source sets the pace";
  if (limiting.condition === "event-loop-bound")
    return `${limiting.stage} runs a synchronous op inline on the event loop: no knob helps — run it on the worker pool`;
  return "no setting left to try within the thread budget and concurrency bound";
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

function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
