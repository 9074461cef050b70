import { readdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Pipeline } from "../engine/index.js";
import { describeCatalog } from "../engine/ops/index.js";
import { autoTune, fileSettings, profilePipeline, tuneBounds, type TuneResult } from "../engine/analysis/index.js";
import { exportPython, exportTypeScript } from "../engine/spec/export/index.js";
import {
  compilePipeline,
  inspectPipelineFile,
  parsePipelineFileOrThrow,
  savePipelineFile,
  validatePipelineFile,
  type PipelineFile,
  type PipelineFileInput,
} from "../engine/spec/index.js";
import { SpecError } from "../engine/spec/problems.js";
import { JsonSyntaxError, parseJson } from "../engine/util/parseJson.js";
import { readRegularTextFile } from "../engine/util/readRegularFile.js";
import type {
  ExampleInfo,
  FailureView,
  OpenedPipeline,
  RequestName,
  RequestParams,
  RequestResult,
  StudioEvent,
  ValidationReport,
} from "./protocol.js";
import { consume, runError, runOutcome } from "./consume.js";
import { RecentFiles } from "./recentFiles.js";
import { BottleneckJudge } from "./bottleneckJudge.js";
import { buildRunReport } from "../engine/analysis/index.js";
import { RunHistory } from "./runHistory.js";
import { requireConfirmedUserCode } from "./userCodeConsent.js";

const EXAMPLES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), hostRootToRepo(), "examples");
const STATS_INTERVAL_MS = 100;
const PEEK_ITEMS = 5;

/** From this module's folder (host/ in source, dist/host/ when built) to the repository root. */
function hostRootToRepo(): string {
  return import.meta.url.includes("/dist/host/") ? "../.." : "..";
}

export interface SessionOptions {
  examplesDir?: string;
  recentFiles?: RecentFiles;
}

interface ActiveRun {
  id: string;
  pipeline: Pipeline<unknown>;
  baseDir: string;
  /** For its report: what ran, from which file, since when. */
  spec: PipelineFile;
  path: string | null;
  startedAt: Date;
  /** Auto-tune's runs (knobs moving, sources repeating) are measurements, not runs to compare. */
  keepReport: boolean;
}

/**
 * The host's session: the open pipeline's path, the run in progress, recent files. It answers
 * every StudioApi request and pushes run snapshots at 10 Hz. Transport-neutral: the WebSocket
 * server and the Electron IPC handlers are thin adapters over handle() and onEvent().
 */
export class StudioSession {
  private currentPath: string | null = null;
  private run: ActiveRun | null = null;
  /** A profile or auto-tune in progress: aborting it cancels the search. */
  private analysis: AbortController | null = null;
  /** Settles when the analysis in progress (if any) has wound down. */
  private analysisDone: Promise<unknown> = Promise.resolve();
  private runCounter = 0;
  /** The failure log of the run that ended last, still browsable after it ended. */
  private lastRunFailures: FailureView[] = [];
  private readonly listeners = new Set<(event: StudioEvent) => void>();
  private readonly examplesDir: string;
  private readonly recent: RecentFiles;
  private readonly runHistory: RunHistory;

  constructor(options: SessionOptions = {}) {
    this.examplesDir = options.examplesDir ?? EXAMPLES_DIR;
    this.recent = options.recentFiles ?? new RecentFiles();
    this.runHistory = new RunHistory({ memoryOnlyUnder: this.examplesDir });
  }

  onEvent(listener: (event: StudioEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Dispatches one request by name; params are checked by each handler. */
  async handle<N extends RequestName>(name: N, params: RequestParams<N>): Promise<RequestResult<N>> {
    const handler = this.handlers[name] as (params: RequestParams<N>) => Promise<RequestResult<N>>;
    if (!handler) throw new Error(`unknown request '${String(name)}'`);
    return handler(params);
  }

  /** Stops a run in progress (the app is closing). */
  async close(): Promise<void> {
    this.analysis?.abort();
    await this.run?.pipeline.stop();
    await this.analysisDone;
  }

  private readonly handlers: { [N in RequestName]: (params: RequestParams<N>) => Promise<RequestResult<N>> } = {
    newPipeline: async () => {
      this.currentPath = null;
      return { spec: parsePipelineFileOrThrow({ format: "pipeline-studio/1", nodes: [], edges: [] }), path: null, problems: [] };
    },
    openFile: async ({ path }) => this.open(requireString(path, "path")),
    openExample: async ({ name }) => {
      const examples = await this.listExamples();
      const example = examples.find((candidate) => candidate.name === name);
      if (!example) throw new Error(`no example named '${name}' (examples: ${examples.map((e) => e.name).join(", ")})`);
      return this.open(example.path);
    },
    listExamples: async () => this.listExamples(),
    listRecentFiles: async () => this.recent.list(),
    saveFile: async ({ path, spec }) => {
      const target = path ?? this.currentPath;
      if (!target) throw new Error("this pipeline has not been saved yet: choose a file name (Save As)");
      const saved = await savePipelineFile(target, parsePipelineFileOrThrow(spec));
      if (this.currentPath === null) await this.runHistory.adoptUnsaved(saved);
      this.currentPath = saved;
      await this.recent.add(saved);
      return { path: saved };
    },
    getCatalog: async () => describeCatalog(),
    validate: async ({ spec }) => this.validate(spec),
    exportCode: async ({ spec, language }) => {
      const parsed = parsePipelineFileOrThrow(spec);
      const options = { baseDir: this.baseDir(), file: this.currentPath ?? undefined };
      return { code: language === "python" ? exportPython(parsed, options) : exportTypeScript(parsed, options) };
    },
    startRun: async ({ spec, allowUserCode }) => this.startRun(spec, allowUserCode),
    stopRun: async ({ mode }) => {
      const run = this.requireRun();
      // Stopping an auto-tune's run ends the search too.
      this.analysis?.abort();
      if (mode === "drain") run.pipeline.drain();
      else await run.pipeline.stop();
      return {};
    },
    pauseRun: async () => {
      this.requireKnobsFree();
      this.requireRun().pipeline.pause();
      return {};
    },
    resumeRun: async () => {
      this.requireKnobsFree();
      this.requireRun().pipeline.resume();
      return {};
    },
    setConcurrency: async ({ stage, concurrency }) => {
      this.requireKnobsFree();
      this.requireRun().pipeline.setConcurrency(stage, concurrency);
      return {};
    },
    setNumThreads: async ({ numThreads }) => {
      this.requireKnobsFree();
      this.requireRun().pipeline.setNumThreads(numThreads);
      return {};
    },
    getFailures: async () => (this.run ? this.run.pipeline.failures().map(toFailureView) : this.lastRunFailures),
    profile: async ({ spec, maxConcurrency, stepMs, allowUserCode }) => {
      const parsed = parsePipelineFileOrThrow(spec);
      this.requireConfirmed(parsed, allowUserCode);
      return this.analyse("profile", (signal) =>
        profilePipeline(parsed, {
          baseDir: this.baseDir(),
          maxConcurrency,
          stepMs,
          signal,
          onStep: (step) => this.emit({ type: "profileStep", step }),
        }),
      );
    },
    autoTune: async ({ spec, budgetThreads, maxConcurrency, timeLimitS, allowUserCode }) => {
      const bounds = tuneBounds({ budgetThreads, maxConcurrency });
      const options = { budgetThreads: bounds.budget, maxConcurrency: bounds.maxConcurrency, timeLimitMs: timeLimitS * 1000 };
      // A run in progress is tuned as it runs; otherwise a run of its own, sources repeating.
      if (this.run && !this.analysis) return this.tuneRunning(this.run, options);
      const parsed = parsePipelineFileOrThrow(spec);
      this.requireConfirmed(parsed, allowUserCode);
      const initial = fileSettings(parsed);
      return this.analyse("auto-tune", async (signal) => {
        const run = this.launch(parsed, { repeatSources: true, maxThreads: Math.max(bounds.budget, initial.numThreads) });
        try {
          return await autoTune(run.pipeline, initial, {
            ...options,
            signal,
            onTrial: (trial) => this.emit({ type: "tuneTrial", runId: run.id, trial }),
          });
        } finally {
          await run.pipeline.stop();
        }
      });
    },
    cancelAnalysis: async () => {
      this.analysis?.abort();
      return {};
    },
    peekEdge: async ({ from, to }) => {
      const run = this.requireRun();
      const queue = run.pipeline.stats().queues.find((candidate) => candidate.from.includes(from) && candidate.to === to);
      if (!queue) throw new Error(`no queue from '${from}' to '${to}' in the running pipeline`);
      return { items: run.pipeline.peek(queue.name) };
    },
    listRuns: async () => this.runHistory.list(this.currentPath),
    getRun: async ({ id }) => this.runHistory.get(this.currentPath, id),
    compareRuns: async ({ a, b }) => this.runHistory.compare(this.currentPath, a, b),
  };

  private async open(path: string): Promise<OpenedPipeline> {
    const { loaded, problems } = await inspectPipelineFile(path);
    // The editor needs a file it can draw: one the schema refused opens nowhere, with every problem said.
    if (!loaded) throw new SpecError(problems, resolve(path));
    this.currentPath = loaded.path;
    await this.recent.add(loaded.path);
    return { spec: loaded.spec, path: loaded.path, problems };
  }

  private async listExamples(): Promise<ExampleInfo[]> {
    const names = (await readdir(this.examplesDir)).filter((name) => name.endsWith(".pipeline.json")).sort();
    return Promise.all(names.map((file) => this.readExample(file)));
  }

  private async readExample(file: string): Promise<ExampleInfo> {
    const path = join(this.examplesDir, file);
    let raw: { name?: string; description?: string };
    try {
      raw = parseJson(await readRegularTextFile(path)) as typeof raw;
    } catch (error) {
      // A FileReadError names the file already; a JSON error says only where in it.
      throw error instanceof JsonSyntaxError ? new Error(`example ${path}: ${error.message}`) : error;
    }
    return { name: file.replace(/\.pipeline\.json$/, ""), title: raw.name ?? file, description: raw.description ?? "", path };
  }

  private validate(spec: PipelineFileInput): ValidationReport {
    const { spec: parsed, problems } = validatePipelineFile(spec, { baseDir: this.baseDir() });
    if (!parsed || problems.length > 0) return { runnable: false, problems, userCode: [] };
    try {
      return { runnable: true, problems: [], userCode: compilePipeline(parsed, { baseDir: this.baseDir() }).userCode };
    } catch (error) {
      if (error instanceof SpecError) return { runnable: false, problems: error.problems, userCode: [] };
      return { runnable: false, problems: [{ path: "$", message: (error as Error).message }], userCode: [] };
    }
  }

  private async startRun(spec: PipelineFileInput, allowUserCode: readonly string[] | undefined): Promise<{ runId: string }> {
    this.requireIdle();
    const parsed = parsePipelineFileOrThrow(spec);
    this.requireConfirmed(parsed, allowUserCode);
    return { runId: this.launch(parsed, {}).id };
  }

  /** Before anything of it runs: every user-code module was confirmed by the user (see userCodeConsent.ts). */
  private requireConfirmed(parsed: PipelineFile, allowUserCode: readonly string[] | undefined): void {
    requireConfirmedUserCode(compilePipeline(parsed, { baseDir: this.baseDir() }).userCode, allowUserCode ?? []);
  }

  /** While auto-tune turns the knobs, a hand on them (or a pause) would spoil its measurements. */
  private requireKnobsFree(): void {
    if (this.analysis && this.run) throw new Error("auto-tune is turning the knobs of this run: stop tuning first");
  }

  /** One thing at a time: runs, profiles and auto-tunes would distort each other's figures. */
  private requireIdle(): void {
    if (this.analysis) throw new Error("a profile or auto-tune is in progress: cancel it first");
    if (this.run) throw new Error("a run is in progress: stop it first");
  }

  /** Runs a profile or auto-tune with a signal that cancelAnalysis (or Stop) aborts. */
  private async analyse<T>(what: string, search: (signal: AbortSignal) => Promise<T>, duringRun = false): Promise<T> {
    if (!duringRun) this.requireIdle();
    const controller = new AbortController();
    this.analysis = controller;
    try {
      const searching = search(controller.signal);
      this.analysisDone = searching.catch(() => undefined);
      return await searching;
    } catch (error) {
      if (controller.signal.aborted) throw new Error(`${what} cancelled`, { cause: error });
      throw error;
    } finally {
      this.analysis = null;
    }
  }

  /**
   * Auto-tune on the run in progress, from its settings now; the knobs stay where the search
   * leaves them and the run goes on. A finite source may end the run first: the result then
   * holds what was found until then.
   */
  private tuneRunning(
    run: ActiveRun,
    options: { budgetThreads: number; maxConcurrency: number; timeLimitMs: number },
  ): Promise<TuneResult> {
    const snapshot = run.pipeline.stats();
    if (snapshot.paused) throw new Error("the run is paused: resume it before auto-tuning");
    if (snapshot.draining) throw new Error("the run is draining: auto-tune needs a run that takes new items");
    const concurrency = Object.fromEntries(
      snapshot.stages.filter((stage) => stage.kind === "pipe").map((stage) => [stage.name, stage.concurrency]),
    );
    // The pool of a run started without auto-tune in mind cannot grow past its maxThreads.
    const poolCap = snapshot.pool?.maxThreads ?? Number.POSITIVE_INFINITY;
    const budgetThreads = Math.min(options.budgetThreads, poolCap);
    const initial = { numThreads: snapshot.pool?.numThreads ?? run.spec.build.numThreads, concurrency };
    return this.analyse(
      "auto-tune",
      async (signal) => {
        const result = await autoTune(run.pipeline, initial, {
          ...options,
          budgetThreads,
          startingPoint: "the run's settings",
          signal,
          onTrial: (trial) => this.emit({ type: "tuneTrial", runId: run.id, trial }),
        });
        if (budgetThreads < options.budgetThreads && result.after.settings.numThreads >= budgetThreads) {
          result.limitedBy = `the running pool cannot grow past ${poolCap} threads (its maxThreads), below the budget of ${options.budgetThreads}: auto-tune with no run in progress to try more`;
        }
        return result;
      },
      true,
    );
  }

  /** Starts a run that pushes stats and a bottleneck verdict; the host consumes its items. */
  private launch(parsed: PipelineFile, options: { repeatSources?: boolean; maxThreads?: number }): ActiveRun {
    const baseDir = this.baseDir();
    const { builder, buildOptions } = compilePipeline(parsed, { baseDir, repeatSources: options.repeatSources });
    const id = `run-${++this.runCounter}`;
    const judge = new BottleneckJudge();
    const pipeline = builder.build({
      ...buildOptions,
      maxThreads: options.maxThreads,
      recentItemsPerQueue: PEEK_ITEMS,
      statsIntervalMs: STATS_INTERVAL_MS,
      onStats: (snapshot) => this.emit({ type: "runStats", runId: id, snapshot, bottleneck: judge.next(snapshot) }),
    });
    const run: ActiveRun = {
      id,
      pipeline,
      baseDir,
      spec: parsed,
      path: this.currentPath,
      startedAt: new Date(),
      keepReport: !options.repeatSources,
    };
    this.run = run;
    void this.consume(run);
    return run;
  }

  /** The host is the pipeline's consumer: it reads and discards items, so the run flows. */
  private async consume(run: ActiveRun): Promise<void> {
    const result = await consume(run.pipeline);
    const outcome = runOutcome(result.outcome);
    const error = runError(result.error);
    this.lastRunFailures = run.pipeline.failures().map(toFailureView);
    if (this.run === run) this.run = null;
    const snapshot = run.pipeline.stats();
    const report = buildRunReport({
      spec: run.spec,
      file: run.path,
      startedAt: run.startedAt,
      finishedAt: new Date(),
      outcome,
      error,
      snapshot,
    });
    const kept = run.keepReport ? await this.runHistory.keep(run.path, report) : { id: null, notice: null };
    this.emit({ type: "runEnded", ended: { runId: run.id, outcome, error, snapshot, reportId: kept.id, reportNotice: kept.notice } });
  }

  private requireRun(): ActiveRun {
    if (!this.run) throw new Error("no run in progress");
    return this.run;
  }

  private baseDir(): string {
    return this.currentPath ? dirname(this.currentPath) : process.cwd();
  }

  private emit(event: StudioEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

function toFailureView(failure: { stage: string; error: Error; itemPreview: string; attempts: number; atMs: number }): FailureView {
  return {
    stage: failure.stage,
    errorName: failure.error.name,
    message: failure.error.message,
    itemPreview: failure.itemPreview,
    attempts: failure.attempts,
    atMs: failure.atMs,
  };
}

function requireString(value: unknown, name: string): string {
  if (typeof value !== "string" || value.length === 0) throw new Error(`${name} must be a non-empty string`);
  return value;
}
