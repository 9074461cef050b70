import {
  autoTune,
  fileSettings,
  profilePipeline,
  resolveGoal,
  tuneBounds,
  type ProfileResult,
  type TuneGoalOptions,
  type TuneResult,
  type TuneTrial,
} from "../engine/analysis/index.js";
import type { PipelineFile } from "../engine/spec/index.js";
import { startAppLocalWorkers, type LocalWorkers } from "./localWorkers.js";
import type { AnalysisEnded, AnalysisInProgress, StudioEvent } from "./protocol.js";
import type { ActiveRun, RunOrigin, SessionRuns } from "./sessionRuns.js";

/** What the analysis needs of its session. */
export interface AnalysisHost {
  readonly runs: SessionRuns;
  /** The open pipeline's file and folder. */
  origin(): RunOrigin;
  emit(event: StudioEvent): void;
  /** Called as a profile or auto-tune starts and once it has ended. */
  changed(): void;
}

export interface AutoTuneRequest extends TuneGoalOptions {
  budgetThreads: number;
  maxConcurrency: number;
  timeLimitS: number;
  /** Remote stages on this many local workers the host starts for the search (0: the pipeline's Redis). */
  localWorkers?: number;
}

/** The app's local workers serve remote stages: a pipeline without one needs none. */
const wantsLocalWorkers = (parsed: PipelineFile, count: number): boolean =>
  count > 0 && parsed.nodes.some((node) => node.runOn === "remote");

/** As for the CLI, PIPELINE_STUDIO_REDIS names the remote stages' Redis over the file's. */
function environmentRedis(): { remote?: { redis: string } } {
  const redis = process.env.PIPELINE_STUDIO_REDIS;
  return redis ? { remote: { redis } } : {};
}

interface TuneLimits extends TuneGoalOptions {
  budgetThreads: number;
  maxConcurrency: number;
  timeLimitMs: number;
}

/**
 * The session's profile and auto-tune: one at a time, each with a signal that cancel() (or the
 * app's Stop) aborts. Auto-tune turns the knobs of a live run: one of its own, sources
 * repeating, or the run in progress.
 */
export class SessionAnalysis {
  /** The profile or auto-tune in progress: aborting it cancels the search. */
  private controller: AbortController | null = null;
  /** Settles when the analysis in progress (if any) has wound down. */
  private done: Promise<unknown> = Promise.resolve();
  /** What is in progress, if anything, with what it has measured so far. */
  private inProgress: AnalysisInProgress | null = null;

  constructor(private readonly host: AnalysisHost) {}

  /** Settles once the analysis in progress, if any, has wound down. */
  get settled(): Promise<unknown> {
    return this.done;
  }

  /** The profile or auto-tune in progress, if any. */
  get kind(): "profile" | "tune" | null {
    return this.inProgress?.kind ?? null;
  }

  /** The profile or auto-tune in progress and its measurements so far (a copy), for a page that connects mid-way. */
  get progress(): AnalysisInProgress | null {
    const progress = this.inProgress;
    if (!progress) return null;
    return progress.kind === "profile" ? { ...progress, steps: [...progress.steps] } : { ...progress, trials: [...progress.trials] };
  }

  /** Aborts the profile or auto-tune in progress, if any (its request then fails with "cancelled"). */
  cancel(): void {
    this.controller?.abort();
  }

  /** One thing at a time: runs, profiles and auto-tunes would distort each other's figures. */
  requireIdle(): void {
    if (this.controller) throw new Error("a profile or auto-tune is in progress: cancel it first");
    if (this.host.runs.busy) throw new Error("a run is in progress: stop it first");
  }

  /** While auto-tune turns the knobs, a hand on them (or a pause) would spoil its measurements. */
  requireKnobsFree(): void {
    if (this.controller && this.host.runs.current) throw new Error("auto-tune is turning the knobs of this run: stop tuning first");
  }

  /** The concurrency sweep: each stage alone at 1, 2, 4, …, a profileStep event per level. */
  /** `stages`: only these (absent: every stage). */
  profile(
    parsed: PipelineFile,
    maxConcurrency: number,
    stepMs: number,
    localWorkers = 0,
    stages?: readonly string[],
  ): Promise<ProfileResult> {
    const { baseDir, path } = this.host.origin();
    const progress: AnalysisInProgress = { kind: "profile", spec: parsed, path, options: { maxConcurrency, stepMs }, steps: [] };
    return this.analyse("profile", progress, async (signal) => {
      const local: LocalWorkers | null = wantsLocalWorkers(parsed, localWorkers) ? await startAppLocalWorkers(localWorkers, baseDir) : null;
      try {
        return await profilePipeline(parsed, {
          baseDir,
          ...(local ? { remote: { redis: local.url } } : environmentRedis()),
          maxConcurrency,
          stepMs,
          ...(stages ? { stages } : {}),
          signal,
          onStep: (step) => {
            progress.steps.push(step);
            this.host.emit({ type: "profileStep", step });
          },
        });
      } finally {
        await local?.stop();
      }
    });
  }

  /** Each trial is told to every page and kept for the pages that connect later. */
  private tuneProgress(runId: () => string): { progress: AnalysisInProgress; onTrial: (trial: TuneTrial) => void } {
    const progress: AnalysisInProgress & { kind: "tune" } = { kind: "tune", trials: [] };
    const onTrial = (trial: TuneTrial) => {
      progress.trials.push(trial);
      this.host.emit({ type: "tuneTrial", runId: runId(), trial });
    };
    return { progress, onTrial };
  }

  /**
   * Auto-tune: the run in progress as it runs, or else a run of its own with its sources
   * repeating, stopped when the search ends. `confirmed` gives the request's pipeline, checked
   * for consent to its user code; a run in progress had its code confirmed when it started.
   */
  autoTune(request: AutoTuneRequest, confirmed: () => PipelineFile): Promise<TuneResult> {
    const bounds = tuneBounds({ budgetThreads: request.budgetThreads, maxConcurrency: request.maxConcurrency });
    const limits: TuneLimits = {
      budgetThreads: bounds.budget,
      maxConcurrency: bounds.maxConcurrency,
      timeLimitMs: request.timeLimitS * 1000,
      objective: request.objective,
      readiness: request.readiness,
      cpuBudget: request.cpuBudget,
    };
    const running = this.host.runs.current;
    if (running && !this.controller) {
      resolveGoal(limits, running.consumer !== undefined);
      return this.tuneRunning(running, limits);
    }
    const parsed = confirmed();
    // Refused before a run starts: a goal this pipeline cannot have (readiness without a consumer), a value out of range.
    resolveGoal(
      limits,
      parsed.nodes.some((node) => node.kind === "sink" && node.consumer !== null),
    );
    const initial = fileSettings(parsed);
    let runId = "";
    const { progress, onTrial } = this.tuneProgress(() => runId);
    return this.analyse("auto-tune", progress, async (signal) => {
      const launchOptions = { repeatSources: true, maxThreads: Math.max(bounds.budget, initial.numThreads) };
      const localWorkers = request.localWorkers ?? 0;
      const run = wantsLocalWorkers(parsed, localWorkers)
        ? await this.host.runs.launchOnLocalWorkers(parsed, this.host.origin(), localWorkers, launchOptions)
        : this.host.runs.launch(parsed, this.host.origin(), launchOptions);
      runId = run.id;
      try {
        return await autoTune(run.pipeline, initial, { ...limits, signal, onTrial });
      } finally {
        await run.pipeline.stop();
      }
    });
  }

  /**
   * Auto-tune on the run in progress, from its settings now; the knobs stay where the search
   * leaves them and the run goes on. A finite source may end the run first: the result then
   * holds what was found until then.
   */
  private tuneRunning(run: ActiveRun, limits: TuneLimits): Promise<TuneResult> {
    const snapshot = run.pipeline.stats();
    if (snapshot.paused) throw new Error("the run is paused: resume it before auto-tuning");
    if (snapshot.draining) throw new Error("the run is draining: auto-tune needs a run that takes new items");
    const concurrency = Object.fromEntries(
      snapshot.stages.filter((stage) => stage.kind === "pipe").map((stage) => [stage.name, stage.concurrency]),
    );
    // The pool of a run started without auto-tune in mind cannot grow past its maxThreads.
    const poolCap = snapshot.pool?.maxThreads ?? Number.POSITIVE_INFINITY;
    const budgetThreads = Math.min(limits.budgetThreads, poolCap);
    const initial = { numThreads: snapshot.pool?.numThreads ?? run.spec.build.numThreads, concurrency };
    const { progress, onTrial } = this.tuneProgress(() => run.id);
    return this.analyse(
      "auto-tune",
      progress,
      async (signal) => {
        const result = await autoTune(run.pipeline, initial, {
          ...limits,
          budgetThreads,
          startingPoint: "the run's settings",
          signal,
          onTrial,
        });
        if (budgetThreads < limits.budgetThreads && result.after.settings.numThreads >= budgetThreads) {
          result.limitedBy = `the running pool cannot grow past ${poolCap} threads (its maxThreads), below the budget of ${limits.budgetThreads}: auto-tune with no run in progress to try more`;
        }
        return result;
      },
      true,
    );
  }

  /**
   * Runs a profile or auto-tune with a signal that cancel() (or Stop) aborts; every page hears how
   * it ended (analysisEnded), before the activity that follows.
   */
  private async analyse<T extends ProfileResult | TuneResult>(
    what: string,
    progress: AnalysisInProgress,
    search: (signal: AbortSignal) => Promise<T>,
    duringRun = false,
  ): Promise<T> {
    if (!duringRun) this.requireIdle();
    const controller = new AbortController();
    this.controller = controller;
    this.inProgress = progress;
    this.host.changed();
    try {
      const searching = search(controller.signal);
      this.done = searching.catch(() => undefined);
      const result = await searching;
      this.ended(progress.kind, result, null);
      return result;
    } catch (error) {
      const failure: unknown = controller.signal.aborted ? new Error(`${what} cancelled`, { cause: error }) : error;
      this.ended(progress.kind, null, failure instanceof Error ? failure.message : String(failure));
      throw failure;
    } finally {
      this.controller = null;
      this.inProgress = null;
      this.host.changed();
    }
  }

  private ended(kind: AnalysisInProgress["kind"], result: ProfileResult | TuneResult | null, error: string | null): void {
    // The kind says which result it is: analyse() runs a profile's search for a profile only.
    this.host.emit({ type: "analysisEnded", ended: { kind, result, error } as AnalysisEnded });
  }
}
