import { setMaxListeners } from "node:events";
import type { StageKind } from "../config.js";
import type { EventLoopYield } from "../eventLoopYield.js";
import type { ExecutorKind } from "../executors.js";
import type { SourceControl } from "../sourceControl.js";
import { asError, PipelineError } from "../errors.js";
import { FailureLog, previewItem } from "../failureLog.js";
import type { WorkerPool } from "../pool/workerPool.js";
import type { BoundedQueue } from "../queue.js";
import type { RemoteExecutor } from "../remote/remoteExecutor.js";
import { LatencyWindow } from "../stats/latencyWindow.js";
import { FailureBudget, type FailureCount } from "./failureBudget.js";

/** What every stage of one run shares. */
export interface RunContext {
  readonly yieldGate: EventLoopYield;
  readonly sourceControl: SourceControl;
  readonly failureLog: FailureLog;
  /** The build's maxFailures, for stages without their own. */
  readonly defaultMaxFailures: number | undefined;
  /** Calls and failures of all stages together (SPDL's pipeline-global counter). */
  readonly pipelineFailures: FailureCount;
  readonly startedAt: number;
  /** The worker pool (created on first use). */
  pool(): WorkerPool;
  /** The run's remote executor (created on first use; a ConfigError if the run names no Redis). */
  remote(): RemoteExecutor;
  /** A stage exceeded its maxFailures: the pipeline cancels what feeds it. */
  stageFailed(stage: Stage, error: PipelineError): void;
}

/** Timing one call in N keeps the clock (~65 ns a read) off the hot path when calls are µs-short. */
const FAST_CALL_MS = 0.05;
/** Warn only about listener counts no concurrency setting explains (a leak in an op). */
const MAX_SIGNAL_LISTENERS = 1000;
const FAST_CALL_STRIDE = 16;

/**
 * One stage of a running pipeline: its counters, its input and output queues, and its lifecycle.
 * A stage ends by closing its output (passing on an upstream error, or its own), or is cancelled
 * (stop, or a failure downstream), which releases everything it waits on.
 */
export abstract class Stage {
  abstract readonly kind: StageKind;
  abstract readonly executor: ExecutorKind;
  input: BoundedQueue<unknown> | null = null;
  output!: BoundedQueue<unknown>;
  /** Stages on a path of a route: the route (the innermost one) and the path's index. */
  onPath: { route: string; index: number } | undefined;

  itemsIn = 0;
  itemsOut = 0;
  failures = 0;
  /** Items the op returned undefined for (SPDL's None): intentionally dropped, not failures. */
  dropped = 0;
  calls = 0;
  inFlight = 0;
  retriesDone = 0;
  busyMs = 0;
  /** Set when the op returned a plain value: it ran inline and blocked the event loop meanwhile. */
  blocksEventLoop = false;
  readonly latency = new LatencyWindow();
  failedWith: PipelineError | undefined;

  protected cancelled = false;
  protected readonly abort = new AbortController();
  private finishedFlag = false;
  private resolveFinished!: () => void;
  readonly finished = new Promise<void>((resolve) => (this.resolveFinished = resolve));

  private timingCountdown = 0;
  private timingStride = 1;
  private readonly budget: FailureBudget;

  /** `ownMaxFailures`: the stage's own limit; without one it answers to the build's, counted over all stages. */
  constructor(
    readonly name: string,
    protected readonly context: RunContext,
    ownMaxFailures?: number,
  ) {
    this.budget = new FailureBudget(context.pipelineFailures, context.defaultMaxFailures, ownMaxFailures);
    // Every call of the stage shares this signal, so many listeners at once are expected.
    setMaxListeners(MAX_SIGNAL_LISTENERS, this.abort.signal);
  }

  abstract start(): void;

  /** Calls the engine lets run at once (1 for single-loop stages). */
  get concurrency(): number {
    return 1;
  }

  get isCancelled(): boolean {
    return this.cancelled;
  }

  get isFinished(): boolean {
    return this.finishedFlag;
  }

  /** Stops taking input and aborts in-flight calls; what is already in the output stays for its reader. */
  cancel(reason: Error): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.abort.abort(reason);
    this.input?.cancel();
    // A merged queue may still have live producers and a live consumer: give up this share only.
    if (!this.finishedFlag) this.closeOutputs();
    this.onCancel();
  }

  /** This stage will put nothing more: each queue it feeds loses one producer. */
  protected closeOutputs(error?: Error): void {
    this.output?.close(error);
  }

  protected onCancel(): void {}

  /** Marks the stage done (once); unless cancelled, closes the output, passing on the first error seen. */
  protected finish(error?: Error): void {
    if (this.finishedFlag) return;
    this.finishedFlag = true;
    if (!this.cancelled) this.closeOutputs(error ?? this.input?.closeError);
    this.resolveFinished();
  }

  /** Puts one result downstream; false once the output was cancelled. */
  protected async emit(value: unknown): Promise<boolean> {
    if (!this.output.tryPut(value)) {
      if (!(await this.output.put(value))) return false;
    }
    this.itemsOut++;
    return !this.output.isCancelled;
  }

  /** True when this call should be timed (all calls, or one in N when calls are very short). */
  protected shouldTime(): boolean {
    return --this.timingCountdown <= 0;
  }

  protected recordTiming(ms: number): void {
    const weight = this.timingStride;
    this.latency.record(ms, weight);
    this.busyMs += ms * weight;
    this.timingStride = ms < FAST_CALL_MS ? FAST_CALL_STRIDE : 1;
    this.timingCountdown = this.timingStride;
  }

  /** Counts and logs a failed item, and counts the call in the failure budget. */
  protected recordFailure(item: unknown, error: unknown, attempts: number): void {
    this.logFailure(item, error, attempts);
    this.countCall(true);
  }

  /** Counts and logs a failed item without a budget (a source that threw). */
  protected logFailure(item: unknown, error: unknown, attempts: number): void {
    this.failures++;
    this.context.failureLog.add({
      stage: this.name,
      error: asError(error),
      itemPreview: previewItem(item),
      attempts,
      atMs: performance.now() - this.context.startedAt,
    });
  }

  /** One call completed (a generator: one step): past the budget this stage answers to, the pipeline fails here. */
  protected countCall(failed: boolean): void {
    const exceeded = this.budget.record(failed);
    if (!exceeded || this.failedWith) return;
    const log = this.context.failureLog;
    const causes = exceeded.scope === "stage" ? log.forStage(this.name) : log.entries().slice(-5);
    this.failPipeline(new PipelineError(this.name, exceeded.failures, exceeded.limit, causes, exceeded));
  }

  /** This stage can't go on: it takes no more input and ends its output with `error` once in-flight calls finish. */
  protected failPipeline(error: PipelineError): void {
    if (this.failedWith) return;
    this.failedWith = error;
    this.onFailing();
    this.input?.cancel();
    this.context.stageFailed(this, error);
  }

  protected onFailing(): void {}
}
