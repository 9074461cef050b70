import type { ConsumerSpec, Pipeline } from "../engine/index.js";
import { buildRunReport, findBottleneck } from "../engine/analysis/index.js";
import { SIZE_BOUNDS } from "../engine/bounds.js";
import { compilePipeline, type PipelineFile } from "../engine/spec/index.js";
import { BottleneckJudge } from "./bottleneckJudge.js";
import { consume, runError, runOutcome } from "./consume.js";
import { startAppLocalWorkers, type LocalWorkers } from "./localWorkers.js";
import type { BottleneckVerdict, FailureView, StudioEvent } from "./protocol.js";
import type { RunHistory } from "./runHistory.js";
import { SnapshotTrail } from "./snapshotTrail.js";

const STATS_INTERVAL_MS = 100;
const PEEK_ITEMS = 5;
/**
 * The app's runs make their pool able to grow to the most numThreads the inspector offers, so a
 * knob turned while running is honoured, never refused. Threads start as numThreads says, not at
 * this maximum: it costs nothing until used.
 */
const APP_MAX_THREADS = SIZE_BOUNDS.numThreads.max;

export interface ActiveRun {
  id: string;
  pipeline: Pipeline<unknown>;
  /** For its report: what ran, from which file, since when. */
  spec: PipelineFile;
  path: string | null;
  startedAt: Date;
  /** Auto-tune's runs (knobs moving, sources repeating) are measurements, not runs to compare. */
  keepReport: boolean;
  /** Its recent snapshots and the latest verdict: what a page that connects mid-run is shown. */
  trail: SnapshotTrail;
  bottleneck: BottleneckVerdict | null;
  /** The sink's simulated consumer, if the file has one: the host reads at its pace. */
  consumer?: ConsumerSpec;
  /** What the run brought up for itself and stops once it has ended (its local workers and their Redis). */
  afterEnd?: () => Promise<void>;
}

export interface LaunchOptions {
  repeatSources?: boolean;
  maxThreads?: number;
  /** The remote stages' Redis, over PIPELINE_STUDIO_REDIS and the file's. */
  redis?: string;
  afterEnd?: () => Promise<void>;
}

/** Where a run's pipeline comes from: its file (null: never saved) and the folder its relative paths resolve against. */
export interface RunOrigin {
  baseDir: string;
  path: string | null;
}

/**
 * The session's runs: the one in progress, which pushes snapshots at 10 Hz with a bottleneck
 * verdict while the host consumes its items; as each ends, its report is kept and runEnded said.
 */
export class SessionRuns {
  private active: ActiveRun | null = null;
  private counter = 0;
  /** The failure log of the run that ended last, still browsable after it ended. */
  private lastRunFailures: FailureView[] = [];
  /** Local workers are starting for a run that has not begun yet. */
  private preparing = false;
  private closed = false;
  /** Settles once the latest run has ended and what it brought up is stopped. */
  private ended: Promise<void> = Promise.resolve();

  constructor(
    /** Where the reports of ended runs are kept. */
    private readonly history: RunHistory,
    private readonly emit: (event: StudioEvent) => void,
    /** Called as a run starts and once it has ended (after its runEnded). */
    private readonly changed: () => void = () => undefined,
  ) {}

  /** The run in progress, if any. */
  get current(): ActiveRun | null {
    return this.active;
  }

  /** A run is in progress, or its local workers are starting. */
  get busy(): boolean {
    return this.active !== null || this.preparing;
  }

  require(): ActiveRun {
    if (!this.active) throw new Error("no run in progress");
    return this.active;
  }

  /** Starts a run that pushes stats and a bottleneck verdict; the host consumes its items. */
  launch(parsed: PipelineFile, origin: RunOrigin, options: LaunchOptions): ActiveRun {
    const { builder, buildOptions } = compilePipeline(parsed, { baseDir: origin.baseDir, repeatSources: options.repeatSources });
    const id = `run-${++this.counter}`;
    const judge = new BottleneckJudge();
    const trail = new SnapshotTrail();
    // As for the CLI, PIPELINE_STUDIO_REDIS names the remote stages' Redis over the file's.
    const redis = options.redis ?? process.env.PIPELINE_STUDIO_REDIS;
    const pipeline = builder.build({
      ...buildOptions,
      ...(redis ? { remote: { redis } } : {}),
      maxThreads: options.maxThreads ?? APP_MAX_THREADS,
      recentItemsPerQueue: PEEK_ITEMS,
      statsIntervalMs: STATS_INTERVAL_MS,
      onStats: (snapshot) => {
        run.bottleneck = judge.next(snapshot);
        trail.record(snapshot);
        this.emit({ type: "runStats", runId: id, snapshot, bottleneck: run.bottleneck });
      },
    });
    const run: ActiveRun = {
      id,
      pipeline,
      spec: parsed,
      path: origin.path,
      startedAt: new Date(),
      keepReport: !options.repeatSources,
      trail,
      bottleneck: null,
      consumer: buildOptions.consumer,
      afterEnd: options.afterEnd,
    };
    this.active = run;
    this.ended = this.consume(run);
    this.changed();
    return run;
  }

  /**
   * A run whose remote stages go to `count` worker processes on a private Redis (a child
   * redis-server on a unix socket), both started here for it and stopped once it has ended: the
   * app's `run --local-workers N`.
   */
  async launchOnLocalWorkers(
    parsed: PipelineFile,
    origin: RunOrigin,
    count: number,
    options: Omit<LaunchOptions, "redis" | "afterEnd"> = {},
  ): Promise<ActiveRun> {
    if (this.busy) throw new Error("a run is in progress: stop it first");
    this.preparing = true;
    let local: LocalWorkers;
    try {
      local = await startAppLocalWorkers(count, origin.baseDir);
    } finally {
      this.preparing = false;
    }
    if (this.closed) {
      await local.stop();
      throw new Error("the app is closing: the run did not start");
    }
    try {
      return this.launch(parsed, origin, { ...options, redis: local.url, afterEnd: () => local.stop() });
    } catch (error) {
      await local.stop();
      throw error;
    }
  }

  /** Stops the run in progress (the app is closing) and resolves once it has ended, its local workers stopped. */
  async close(): Promise<void> {
    this.closed = true;
    await this.active?.pipeline.stop();
    await this.ended;
  }

  /** The failed items of the run in progress, or of the one that ended last. */
  failures(): FailureView[] {
    return this.active ? this.active.pipeline.failures().map(toFailureView) : this.lastRunFailures;
  }

  /** The last items through the queue into `to` from `from`, in the run in progress. */
  peekEdge(from: string, to: string): { items: string[] } {
    const run = this.require();
    const queue = run.pipeline.stats().queues.find((candidate) => candidate.from.includes(from) && candidate.to === to);
    if (!queue) throw new Error(`no queue from '${from}' to '${to}' in the running pipeline`);
    return { items: run.pipeline.peek(queue.name) };
  }

  /** Reads and discards the run's items until it ends, then keeps its report and says how it ended. */
  private async consume(run: ActiveRun): Promise<void> {
    const result = await consume(run.pipeline, { consumer: run.consumer });
    // The pipeline has let go of Redis: its local workers (and their Redis) may go.
    await run.afterEnd?.().catch(() => undefined);
    const outcome = runOutcome(result.outcome);
    const error = runError(result.error);
    this.lastRunFailures = run.pipeline.failures().map(toFailureView);
    if (this.active === run) this.active = null;
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
    const kept = run.keepReport ? await this.history.keep(run.path, report) : { id: null, notice: null };
    // A finished run is judged over all of it, not its last second.
    const bottleneck = findBottleneck(snapshot);
    this.emit({
      type: "runEnded",
      ended: { runId: run.id, outcome, error, snapshot, bottleneck, reportId: kept.id, reportNotice: kept.notice },
    });
    this.changed();
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
