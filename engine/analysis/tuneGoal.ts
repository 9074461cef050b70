/**
 * What auto-tune aims for, checked, and how it says whether the settings found reach it. Free of
 * Node APIs: the app's Auto-tune panel checks its fields with the same rules.
 */

/** The most items/s ("throughput"), or the consumer kept fed at least cost ("readiness"). */
export type TuneObjective = "throughput" | "readiness";

export const TUNE_OBJECTIVES: readonly TuneObjective[] = ["throughput", "readiness"];

/** SPDL's docs judge a pipeline good when the training loop waits less than 1 % of the time. */
export const DEFAULT_READINESS_TARGET = 0.99;

export interface TuneGoalOptions {
  /** Default: "readiness" when the pipeline's sink has a consumer (or a readiness target is given), else "throughput". */
  objective?: TuneObjective;
  /** The readiness objective's target: a share above 0 and at most 1 (default 0.99). */
  readiness?: number;
  /** The most CPU the settings may use, as a share of the machine (snapshots' `cpu`): above 0, at most 1. Default: none. */
  cpuBudget?: number | null;
}

/** A goal, checked: what the search keeps to. */
export interface TuneGoal {
  objective: TuneObjective;
  /** The readiness to reach (readiness objective); null for throughput. */
  readinessTarget: number | null;
  cpuBudget: number | null;
}

/** Whether the settings found reach the goal, and what they cost: the result's `goal`. */
export interface TuneGoalOutcome extends TuneGoal {
  /** Readiness ≥ its target and CPU within its budget; null for throughput without a CPU budget (nothing to reach). */
  met: boolean | null;
  /** Pool threads the settings use (their numThreads). */
  threads: number;
  /** The CPU share they used over the last measurement. */
  cpu: number;
  /** The consumer's readiness over the last measurement; null without a consumer. */
  readiness: number | null;
  /** The outcome in one sentence: "Goal met: readiness 99.6 % (target 99 %) with 1 pool thread, CPU 18 % of the machine". */
  summary: string;
}

/** What a measurement says about the goal: the figures `goalMet` judges. */
export interface GoalFigures {
  readiness: number | null;
  cpu: number;
}

/**
 * Checks the goal's options and fills in the defaults; throws a RangeError naming the field and
 * its allowed values. `hasConsumer`: the pipeline's sink stands for a consumer (readiness needs one).
 */
export function resolveGoal(options: TuneGoalOptions, hasConsumer: boolean): TuneGoal {
  const { objective, readiness, cpuBudget } = options;
  if (objective !== undefined && !TUNE_OBJECTIVES.includes(objective))
    throw new RangeError(`auto-tune: objective must be "throughput" or "readiness", got ${JSON.stringify(objective)}`);
  if (readiness !== undefined) checkShare("readiness", readiness, "0.99 is 99 %");
  if (cpuBudget !== undefined && cpuBudget !== null) checkShare("cpuBudget", cpuBudget, "a share of the machine: 0.4 is 40 %");
  const chosen = objective ?? (hasConsumer || readiness !== undefined ? "readiness" : "throughput");
  if (chosen === "readiness" && !hasConsumer)
    throw new RangeError(
      "auto-tune: the readiness objective needs a consumer at the sink (the sink's consumer field: { stepMs, batch }); without one, tune for throughput",
    );
  if (chosen === "throughput" && readiness !== undefined)
    throw new RangeError("auto-tune: a readiness target goes with the readiness objective, not throughput");
  return {
    objective: chosen,
    readinessTarget: chosen === "readiness" ? (readiness ?? DEFAULT_READINESS_TARGET) : null,
    cpuBudget: cpuBudget ?? null,
  };
}

function checkShare(field: string, value: number, example: string): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value > 1)
    throw new RangeError(`auto-tune: ${field} must be above 0 and at most 1 (${example}), got ${value}`);
}

/**
 * A share as the CLI and the app take it: "0.4" or "40%" (also "40 %"). Throws a RangeError
 * saying what is allowed; the caller names the flag or field.
 */
export function parseShare(text: string): number {
  const trimmed = text.trim();
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(trimmed);
  const value = percent ? Number(percent[1]) / 100 : /^\d*\.?\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isFinite(value) || value <= 0 || value > 1)
    throw new RangeError(`must be a share above 0 and at most 1, as 0.4 or 40%, got ${JSON.stringify(text)}`);
  return value;
}

export function withinCpuBudget(figures: GoalFigures, goal: TuneGoal): boolean {
  return goal.cpuBudget === null || figures.cpu <= goal.cpuBudget;
}

/** The consumer's readiness reaches the target (always true for throughput). */
export function readinessReached(figures: GoalFigures, goal: TuneGoal): boolean {
  return goal.readinessTarget === null || (figures.readiness ?? 0) >= goal.readinessTarget;
}

/** Readiness at its target and CPU within its budget; null when the goal has nothing to reach. */
export function goalMet(figures: GoalFigures, goal: TuneGoal): boolean | null {
  if (goal.objective === "throughput" && goal.cpuBudget === null) return null;
  return readinessReached(figures, goal) && withinCpuBudget(figures, goal);
}

/** "99.6 %": readiness and CPU shares with the precision the goal needs. */
export function formatShare(share: number): string {
  return `${(Math.round(share * 1000) / 10).toFixed(1)} %`;
}

/** The outcome of the settings found against the goal, in a sentence the CLI and the app print alike. */
export function goalOutcome(goal: TuneGoal, threads: number, figures: GoalFigures): TuneGoalOutcome {
  const met = goalMet(figures, goal);
  const cost = `${threads} pool thread${threads === 1 ? "" : "s"}, CPU ${formatShare(figures.cpu)} of the machine${
    goal.cpuBudget === null ? "" : ` (budget ${formatShare(goal.cpuBudget)})`
  }`;
  let summary: string;
  if (goal.objective === "readiness") {
    const readiness = `readiness ${formatShare(figures.readiness ?? 0)} (target ${formatShare(goal.readinessTarget!)})`;
    if (met) summary = `Goal met: ${readiness} with ${cost}`;
    else if (!readinessReached(figures, goal)) summary = `Goal not met: ${readiness} with ${cost}`;
    else summary = `Goal not met: ${readiness}, but the CPU is over its budget: ${cost}`;
  } else {
    const head = met === null ? "Cost" : met ? "Goal met (CPU within its budget)" : "Goal not met: the CPU is over its budget";
    summary = `${head}: ${cost}`;
  }
  return { ...goal, met, threads, cpu: figures.cpu, readiness: figures.readiness, summary };
}
