import { performance } from "node:perf_hooks";
import type { ResourceLimits } from "node:worker_threads";
import { availableParallelism } from "node:os";
import type { BranchConfig, PipelineConfig, RouteConfig, StageConfig } from "./config.js";
import { ConfigError, ItemTimeoutError, PipelineEndedError, PipelineError, RemoteUnavailableError, type StageFailure } from "./errors.js";
import { EventLoopYield } from "./eventLoopYield.js";
import { SourceControl } from "./sourceControl.js";
import { FailureLog, previewItem } from "./failureLog.js";
import { WorkerPool } from "./pool/workerPool.js";
import { RemoteExecutor, type RemoteOptions } from "./remote/remoteExecutor.js";
import { BoundedQueue, EMPTY, END } from "./queue.js";
import { AggregateStage } from "./stages/aggregate.js";
import { DisaggregateStage } from "./stages/disaggregate.js";
import { PipeStage } from "./stages/pipe.js";
import { RouteStage } from "./stages/route.js";
import { SourceStage } from "./stages/source.js";
import type { RunContext, Stage } from "./stages/stage.js";
import { StatsCollector, queueNameOf, type QueueEdge } from "./stats/collector.js";
import type { PipelineSnapshot, PipelineState } from "./stats/snapshot.js";
import { SIZE_BOUNDS } from "./bounds.js";
import { integerWithin, maxFailuresValue, positiveInteger, timerMs } from "./optionChecks.js";

export interface BuildOptions {
  /** Worker-pool threads for poolTask stages (default: the machine's cores). Live: setNumThreads. */
  numThreads?: number;
  /** Most threads setNumThreads may raise the pool to (default: max(numThreads, 2 × cores, 4)). */
  maxThreads?: number;
  /** The pipeline-wide failure budget, over the calls of all stages, for stages without their own: a count, or a rate judged from the 100th call. Default: no limit. */
  maxFailures?: number;
  /** Failed items kept for failures() (default 100; older ones are dropped). */
  failureLogSize?: number;
  /** Limits per worker; a worker that exceeds them fails its task and is replaced. */
  workerResourceLimits?: ResourceLimits;
  /** Items each queue remembers for peek() (default 0: off, no cost). */
  recentItemsPerQueue?: number;
  /**
   * The consumer that reads the pipeline takes `stepMs` per `batch` items (a training step):
   * snapshots then give its readiness. The engine does not pace reads; the reader does
   * (`consumeWithSteps` in the host, or the caller's own loop).
   */
  consumer?: ConsumerSpec;
  /** Calls onStats with a snapshot every statsIntervalMs while running, and once at the end. */
  onStats?: (snapshot: PipelineSnapshot) => void;
  statsIntervalMs?: number;
  /** The Redis that remoteTask stages send their calls through (required when there is one). */
  remote?: RemoteOptions;
}

/** A simulated consumer: `stepMs` of work per `batch` items. */
export interface ConsumerSpec {
  stepMs: number;
  batch: number;
}

export interface GetItemOptions {
  /** Reject with ItemTimeoutError if no item arrives in time; the item is not lost. */
  timeoutMs?: number;
}

/** How long stop() waits for ops that ignore their AbortSignal before it returns anyway. */
const STOP_GRACE_MS = 200;

class StopRequested extends Error {
  override name = "AbortError";
  constructor() {
    super("The pipeline was stopped");
  }
}

/**
 * A built pipeline: a source, stages and a sink joined by bounded queues. Iterate it with
 * `for await` (starts, delivers, stops), or call start(), getItem() and stop() yourself.
 */
export class Pipeline<T> implements AsyncIterable<T> {
  private readonly stages: Stage[] = [];
  private readonly edges: QueueEdge[] = [];
  private readonly sinkQueue: BoundedQueue<unknown>;
  private readonly stageByName = new Map<string, Stage>();
  private readonly failureLog: FailureLog;
  private readonly collector: StatsCollector;
  private readonly context: RunContext;
  private readonly usesPool: boolean;
  private readonly usesRemote: boolean;
  private workerPool: WorkerPool | null = null;
  private remoteExecutor: RemoteExecutor | null = null;
  private numThreads: number;
  private currentState: PipelineState = "ready";
  private delivered = 0;
  private failure: PipelineError | undefined;
  private statsTimer: NodeJS.Timeout | undefined;
  private cleanup: Promise<void> | undefined;
  private readonly allFinished: Promise<void>;
  private readonly sourceControl = new SourceControl();

  /** Use PipelineBuilder.build(). */
  constructor(
    config: PipelineConfig,
    private readonly options: BuildOptions = {},
  ) {
    this.numThreads = integerWithin(
      "build(): numThreads",
      options.numThreads ?? Math.min(availableParallelism(), SIZE_BOUNDS.numThreads.max),
      SIZE_BOUNDS.numThreads,
    );
    if (options.maxThreads !== undefined) integerWithin("build(): maxThreads", options.maxThreads, SIZE_BOUNDS.numThreads);
    if (options.statsIntervalMs !== undefined) timerMs("build(): statsIntervalMs", options.statsIntervalMs);
    if (options.consumer !== undefined) {
      timerMs("build(): consumer.stepMs", options.consumer?.stepMs);
      integerWithin("build(): consumer.batch", options.consumer.batch, SIZE_BOUNDS.aggregateSize);
    }
    const defaultMaxFailures =
      options.maxFailures === undefined ? undefined : maxFailuresValue("build(): maxFailures", options.maxFailures);
    this.failureLog = new FailureLog(positiveInteger("build(): failureLogSize", options.failureLogSize ?? 100));
    this.context = {
      yieldGate: new EventLoopYield(),
      sourceControl: this.sourceControl,
      failureLog: this.failureLog,
      defaultMaxFailures,
      pipelineFailures: { calls: 0, failures: 0 },
      startedAt: performance.now(),
      pool: () => this.pool(),
      remote: () => this.remote(),
      stageFailed: (stage, error) => this.onStageFailed(stage, error),
    };
    this.sinkQueue = new BoundedQueue(config.sinkBufferSize);
    const lastProducers = this.wireBranch(config, this.sinkQueue);
    this.edges.push({ queue: this.sinkQueue, from: lastProducers, to: null });
    const recentItems =
      options.recentItemsPerQueue === undefined ? 0 : positiveInteger("build(): recentItemsPerQueue", options.recentItemsPerQueue);
    for (const edge of this.edges) {
      edge.queue.expectProducers(edge.from.length);
      if (recentItems > 0) edge.queue.keepRecent(recentItems);
    }
    for (const stage of this.stages) this.stageByName.set(stage.name, stage);
    this.usesPool = this.stages.some((stage) => stage.executor === "pool");
    this.usesRemote = this.stages.some((stage) => stage.executor === "remote");
    this.allFinished = Promise.all(this.stages.map((stage) => stage.finished)).then(() => this.release());
    this.collector = new StatsCollector({
      stages: this.stages,
      edges: this.edges,
      state: () => this.currentState,
      itemsDelivered: () => this.delivered,
      pool: () => this.workerPool,
      failureCount: () => this.failureLog.total,
      paused: () => this.paused,
      draining: () => this.draining,
      hasConsumer: options.consumer !== undefined,
    });
  }

  get state(): PipelineState {
    return this.currentState;
  }

  /** The simulated consumer the reader stands for (build's `consumer`), if any: readiness is judged against it. */
  get consumer(): ConsumerSpec | undefined {
    return this.options.consumer;
  }

  /** Stage names in pipeline order (branches of a merge first). */
  get stageNames(): string[] {
    return this.stages.map((stage) => stage.name);
  }

  /** Starts the source and every stage. Idempotent while running. */
  start(): void {
    if (this.currentState !== "ready") {
      if (this.currentState === "running") return;
      throw new ConfigError(`start(): a pipeline runs once; this one is ${this.currentState}. Build a new one to run again.`);
    }
    this.currentState = "running";
    if (this.usesPool) this.pool();
    this.collector.start();
    if (this.options.onStats) {
      const onStats = this.options.onStats;
      this.statsTimer = setInterval(() => onStats(this.stats()), this.options.statsIntervalMs ?? 100);
      this.statsTimer.unref();
    }
    if (!this.usesRemote) {
      for (const stage of this.stages) stage.start();
      return;
    }
    // No item is taken before the remote stages' Redis answers: if it does not, nothing is lost.
    const remote = this.remote();
    remote.onLost = (error) => this.failRemote(error);
    remote.start().then(
      () => {
        if (this.currentState !== "running") return;
        for (const stage of this.stages) stage.start();
      },
      (error: unknown) => this.failRemote(error),
    );
  }

  /** Redis could not be reached at start (no item moved), or was lost for good: the run fails with that message. */
  private failRemote(error: unknown): void {
    if (this.currentState !== "running") return;
    const failure =
      error instanceof PipelineError ? error : new RemoteUnavailableError(this.stageNames[0] ?? "remote", (error as Error).message);
    this.failure ??= failure;
    this.sinkQueue.close(failure);
    for (const stage of this.stages) stage.cancel(failure);
    void this.release();
  }

  /**
   * The next item. Rejects with ItemTimeoutError after timeoutMs (taking nothing, so no item is
   * lost), with the PipelineError once a stage failed past its limit and the items before the
   * failure were delivered, and with PipelineEndedError after the last item or stop().
   */
  async getItem(options: GetItemOptions = {}): Promise<T> {
    if (this.currentState === "ready") this.start();
    let item = this.sinkQueue.tryGet();
    if (item === EMPTY) {
      if (options.timeoutMs === undefined) item = await this.sinkQueue.get();
      else {
        item = await this.sinkQueue.getWithin(timerMs("getItem(): timeoutMs", options.timeoutMs));
        if (item === EMPTY) throw new ItemTimeoutError(options.timeoutMs);
      }
    }
    if (item === END) throw this.endError();
    this.delivered++;
    return item as T;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.currentState === "ready") this.start();
    const queue = this.sinkQueue;
    const slowNext = async (): Promise<IteratorResult<T>> => {
      try {
        return { value: await this.getItem(), done: false };
      } catch (error) {
        if (error instanceof PipelineEndedError) return { value: undefined, done: true };
        await this.stop();
        throw error;
      }
    };
    return {
      next: (): Promise<IteratorResult<T>> => {
        const item = queue.tryGet();
        if (item === EMPTY || item === END) return slowNext();
        this.delivered++;
        return Promise.resolve({ value: item as T, done: false });
      },
      return: async (): Promise<IteratorResult<T>> => {
        await this.stop();
        return { value: undefined, done: true };
      },
    };
  }

  /**
   * Cancels in-flight work (their AbortSignals fire, the pool's workers are terminated) and
   * resolves once every stage has let go; afterwards nothing of the pipeline keeps the process alive.
   */
  async stop(): Promise<void> {
    if (this.currentState === "ready") this.currentState = "stopped";
    if (this.currentState === "running") {
      this.currentState = "stopping";
      const reason = new StopRequested();
      for (const stage of this.stages) stage.cancel(reason);
      this.sinkQueue.cancel();
    }
    await this.release();
    let graceTimer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (graceTimer = setTimeout(resolve, STOP_GRACE_MS)));
    await Promise.race([this.allFinished, grace]);
    clearTimeout(graceTimer);
    if (this.currentState === "stopping") this.currentState = "stopped";
  }

  /** Holds the sources: no new item enters; stages finish what they hold. */
  pause(): void {
    this.sourceControl.pause();
  }

  resume(): void {
    this.sourceControl.resume();
  }

  get paused(): boolean {
    return this.sourceControl.paused && !this.sourceControl.draining;
  }

  /** Takes no new source items and lets what is inside finish: the pipeline then completes normally. */
  drain(): void {
    this.sourceControl.drain();
  }

  get draining(): boolean {
    return this.sourceControl.draining;
  }

  /** Live knob: how many calls of a pipe stage run at once. */
  setConcurrency(stageName: string, concurrency: number): void {
    const stage = this.stageByName.get(stageName);
    if (!stage) throw new ConfigError(`setConcurrency: no stage named '${stageName}' (stages: ${this.stageNames.join(", ")})`);
    if (!(stage instanceof PipeStage))
      throw new ConfigError(`setConcurrency: '${stageName}' is a ${stage.kind} stage; only pipe stages have a concurrency`);
    stage.setConcurrency(integerWithin(`setConcurrency('${stageName}')`, concurrency, SIZE_BOUNDS.concurrency));
  }

  /** Live knob: worker-pool threads (up to the pool's maxThreads). */
  setNumThreads(numThreads: number): void {
    integerWithin("setNumThreads", numThreads, SIZE_BOUNDS.numThreads);
    if (this.workerPool) this.workerPool.setNumThreads(numThreads);
    this.numThreads = numThreads;
  }

  /** Live knob: jobs each remote worker runs at once for a remote stage (its threads for that stage). */
  setWorkerThreads(stageName: string, threads: number): void {
    const stage = this.stageByName.get(stageName);
    if (!stage) throw new ConfigError(`setWorkerThreads: no stage named '${stageName}' (stages: ${this.stageNames.join(", ")})`);
    if (stage.executor !== "remote") throw new ConfigError(`setWorkerThreads: '${stageName}' does not run remote`);
    this.remote().setWorkerThreads(stageName, integerWithin(`setWorkerThreads('${stageName}')`, threads, SIZE_BOUNDS.numThreads));
  }

  /** Remote stages: the workers that served each (names), for run reports. */
  remoteWorkers(): Record<string, string[]> {
    return this.remoteExecutor?.workersByStage() ?? {};
  }

  stats(): PipelineSnapshot {
    return this.collector.snapshot();
  }

  /**
   * Short previews of the last items that passed a queue, oldest first, named as in
   * stats().queues ("download→preprocess", "preprocess→sink"). Needs build({ recentItemsPerQueue }).
   */
  peek(queueName: string): string[] {
    const edge = this.edges.find((candidate) => queueNameOf(candidate) === queueName);
    if (!edge) throw new ConfigError(`peek: no queue named '${queueName}' (queues: ${this.edges.map(queueNameOf).join(", ")})`);
    return edge.queue.recentItems().map(previewItem);
  }

  /** The most recent failed items (stage, error, item preview), oldest first. */
  failures(): StageFailure[] {
    return this.failureLog.entries();
  }

  private pool(): WorkerPool {
    if (!this.workerPool) {
      this.workerPool = new WorkerPool({
        numThreads: this.numThreads,
        maxThreads: this.options.maxThreads,
        resourceLimits: this.options.workerResourceLimits,
      });
    }
    return this.workerPool;
  }

  private remote(): RemoteExecutor {
    if (!this.remoteExecutor) {
      if (!this.options.remote) {
        throw new ConfigError("build(): a remoteTask stage needs a Redis: build({ remote: { redis: 'redis://host:6379' } })");
      }
      this.remoteExecutor = new RemoteExecutor(this.options.remote, () => this.collector.elapsedMs);
    }
    return this.remoteExecutor;
  }

  private endError(): Error {
    if (this.sinkQueue.closeError instanceof PipelineError) {
      this.currentState = "failed";
      return this.sinkQueue.closeError;
    }
    if (this.currentState === "running") this.currentState = "completed";
    return new PipelineEndedError(this.currentState === "completed" ? "completed" : "stopped");
  }

  /** Past maxFailures at `failed`: everything that feeds it is cancelled; what it already passed on still flows. */
  private onStageFailed(failed: Stage, error: PipelineError): void {
    this.failure ??= error;
    const fedBy = new Map<Stage, Stage[]>();
    for (const edge of this.edges) {
      if (!edge.to) continue;
      for (const from of edge.from) {
        const next = fedBy.get(from);
        if (next) next.push(edge.to);
        else fedBy.set(from, [edge.to]);
      }
    }
    // A router feeds every one of its paths: all of them are downstream of it.
    const downstream = new Set<Stage>([failed]);
    const pending = [failed];
    while (pending.length > 0) {
      for (const next of fedBy.get(pending.pop()!) ?? []) {
        if (downstream.has(next)) continue;
        downstream.add(next);
        pending.push(next);
      }
    }
    for (const stage of this.stages) if (!downstream.has(stage)) stage.cancel(error);
  }

  /** Releases the pool and timers once every stage is done (or on stop). */
  private release(): Promise<void> {
    this.cleanup ??= (async () => {
      clearInterval(this.statsTimer);
      this.collector.end();
      const pool = this.workerPool;
      await Promise.all([pool?.destroy(), this.remoteExecutor?.close()]);
      this.options.onStats?.(this.stats());
    })();
    return this.cleanup;
  }

  /**
   * Wires a branch's stages to `output`; returns the stages that put into `output`. Merged
   * branches are wired before the stages after the merge, depth first, on a stack of its own:
   * merges may nest thousands deep (each merge point of a long file's chain is one level).
   */
  private wireBranch(top: BranchConfig, topOutput: BoundedQueue<unknown>): Stage[] {
    interface Frame {
      branch: BranchConfig;
      output: BoundedQueue<unknown>;
      stages: Stage[];
      /** The queue the source (or the merged branches) feeds: the first stage's input, or `output`. */
      feed: BoundedQueue<unknown>;
      feeders: Stage[];
      nextBranch: number;
      parent: Frame | undefined;
    }
    const open = (branch: BranchConfig, output: BoundedQueue<unknown>, parent: Frame | undefined): Frame => {
      const stages = branch.stages.map((config) => this.createStage(config));
      const feed = stages.length > 0 ? new BoundedQueue<unknown>(branch.stages[0].queueSize) : output;
      return { branch, output, stages, feed, feeders: [], nextBranch: 0, parent };
    };
    const stack: Frame[] = [open(top, topOutput, undefined)];
    let wired: Stage[] = [];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const source = frame.branch.source;
      if (source.kind === "merge" && frame.nextBranch < source.branches.length) {
        // Every branch of a merge puts into the same queue, which ends when all of them have.
        stack.push(open(source.branches[frame.nextBranch++], frame.feed, frame));
        continue;
      }
      stack.pop();
      if (source.kind === "source") {
        const sourceStage = new SourceStage(source, this.context);
        sourceStage.output = frame.feed;
        this.stages.push(sourceStage);
        frame.feeders = [sourceStage];
      }
      const producers = this.wireStages(frame);
      if (frame.parent) frame.parent.feeders.push(...producers);
      else wired = producers;
    }
    return wired;
  }

  /** Joins a branch's stages with queues, after what feeds them; returns what puts into the branch's output. */
  private wireStages({
    branch,
    output,
    stages,
    feed,
    feeders,
  }: {
    branch: BranchConfig;
    output: BoundedQueue<unknown>;
    stages: Stage[];
    feed: BoundedQueue<unknown>;
    feeders: Stage[];
  }): Stage[] {
    return this.wireChain(branch.stages, stages, feed, feeders, output);
  }

  /**
   * Joins a chain of stages (`configs`, made as `stages`) with queues: `feeders` put into `feed`,
   * the first stage's input, and the last stage into `output`. A route's paths are chains wired
   * the same way, between the router and the queue after the route, where they meet again.
   * Returns what puts into `output`.
   */
  private wireChain(
    configs: readonly StageConfig[],
    stages: Stage[],
    feed: BoundedQueue<unknown>,
    feeders: Stage[],
    output: BoundedQueue<unknown>,
  ): Stage[] {
    if (stages.length === 0) return feeders;
    this.edges.push({ queue: feed, from: feeders, to: stages[0] });
    let input = feed;
    let producers: Stage[] = [];
    stages.forEach((stage, index) => {
      const last = index === stages.length - 1;
      const next = last ? output : new BoundedQueue<unknown>(configs[index + 1].queueSize);
      stage.input = input;
      this.stages.push(stage);
      if (stage instanceof RouteStage) producers = this.wirePaths(stage, configs[index] as RouteConfig, next);
      else {
        stage.output = next;
        producers = [stage];
      }
      if (!last) this.edges.push({ queue: next, from: producers, to: stages[index + 1] });
      input = next;
    });
    return producers;
  }

  /** Wires each path of a route from its router to `meet`, the queue where the paths meet again; returns what puts into `meet`. */
  private wirePaths(router: RouteStage, config: RouteConfig, meet: BoundedQueue<unknown>): Stage[] {
    const producers: Stage[] = [];
    router.pathQueues = config.paths.map((path, index) => {
      if (path.length === 0) {
        // An empty path: the router itself puts the item where the paths meet.
        if (!producers.includes(router)) producers.push(router);
        return meet;
      }
      const stages = path.map((stageConfig) => this.createStage(stageConfig));
      for (const stage of stages) stage.onPath = { route: router.name, index };
      const pathFeed = new BoundedQueue<unknown>(path[0].queueSize);
      producers.push(...this.wireChain(path, stages, pathFeed, [router], meet));
      return pathFeed;
    });
    router.output = router.pathQueues[0];
    return producers;
  }

  private createStage(config: StageConfig): Stage {
    switch (config.kind) {
      case "pipe":
        return new PipeStage(config, this.context);
      case "aggregate":
        return new AggregateStage(config, this.context);
      case "disaggregate":
        return new DisaggregateStage(config, this.context);
      case "route":
        return new RouteStage(config, this.context);
    }
  }
}
