import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import { GeneratedValues } from "../generatedValues.js";
import type { ResourceLimits } from "node:worker_threads";
import { ConfigError } from "../errors.js";
import { SIZE_BOUNDS } from "../bounds.js";
import { integerWithin } from "../optionChecks.js";
import { BatchProgress, NO_SLOT } from "./batchProgress.js";
import { builtModuleUrl } from "./builtModule.js";
import { deserializeError, type PoolTaskSpec, type WorkerBatch, type WorkerData, type WorkerReply } from "./messages.js";
import { addOwnedArrayBuffers } from "./transfer.js";
import { describeWorkerFailure, splitDeadBatch } from "./workerDeath.js";

export interface WorkerPoolOptions {
  numThreads: number;
  /** Threads the pool may grow to with setNumThreads (piscina cannot resize after creation). */
  maxThreads?: number;
  /** Most items sent to one worker in one message. */
  maxBatch?: number;
  /** Calls whose measured time per call (round trip included) is below this travel several to a message. Default 0.5 ms; Infinity: whenever several wait. */
  batchBelowMs?: number;
  resourceLimits?: ResourceLimits;
}

export interface PoolStats {
  numThreads: number;
  maxThreads: number;
  /** Threads running a task now. */
  busyThreads: number;
  /** Calls not running on a thread yet: waiting at the engine's gate, or behind another call of their batch. */
  waitingTasks: number;
  /** Calls handed to a worker and not yet returned. */
  runningCalls: number;
  completedCalls: number;
  /** Workers that died (process.exit, out of memory) and were replaced. */
  workerDeaths: number;
}

interface PendingCall {
  spec: PoolTaskSpec;
  item: unknown;
  transfer: boolean;
  signal: AbortSignal | undefined;
  /** Sent again after its worker died of another call: it travels alone now, so a second death is its own. */
  resent: boolean;
  /** Its item's ArrayBuffers went to the worker with it: if that worker dies, they are gone. */
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

const DEFAULT_MAX_BATCH = 64;
/** Below this per-call time (round trip included) a call costs less than its message. */
const DEFAULT_BATCH_BELOW_MS = 0.5;
const WORKER_URL = builtModuleUrl("./workerEntry.cjs", import.meta.url);

function validateThreadCount(label: string, value: unknown, max?: number): number {
  integerWithin(label, value, SIZE_BOUNDS.numThreads);
  if (max !== undefined && (value as number) > max) {
    throw new ConfigError(`${label} must be at most ${max} (the pool's maxThreads), got ${value}`);
  }
  return value as number;
}

/**
 * The worker-thread pool. Piscina owns the threads; this class gates dispatch with its own
 * count of `numThreads` permits so the size can change while running, and knows how many calls
 * wait for a thread. Calls that wait are sent several to a message when a thread frees up: the
 * concurrency a stage has stays the same, only the transport is batched. A worker that dies
 * costs only the call it was running; the rest of its message is sent again (workerDeath.ts).
 */
export class WorkerPool {
  private readonly piscina: Piscina;
  private permits: number;
  readonly maxThreads: number;
  private readonly maxBatch: number;
  private readonly batchBelowMs: number;
  private readonly waiting: PendingCall[] = [];
  private waitingHead = 0;
  private busyThreads = 0;
  private runningCalls = 0;
  private completedCalls = 0;
  private workerDeaths = 0;
  private destroyed = false;
  /** Calls waiting for a thread, per task (each pool stage has its own task spec). */
  private readonly waitingByTask = new Map<PoolTaskSpec, number>();
  /** Which item each batch in flight is at, so a worker's death is pinned on one call. */
  private readonly progress: BatchProgress;
  /** Recent round-trip time per call (a moving average over batches), for batch sizing. */
  private msPerCall = Infinity;

  constructor(options: WorkerPoolOptions) {
    const cores = availableParallelism();
    this.maxThreads = validateThreadCount(
      "maxThreads",
      options.maxThreads ?? Math.min(Math.max(options.numThreads, cores * 2, 4), SIZE_BOUNDS.numThreads.max),
    );
    this.permits = validateThreadCount("numThreads", options.numThreads, this.maxThreads);
    this.maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
    this.batchBelowMs = options.batchBelowMs ?? DEFAULT_BATCH_BELOW_MS;
    this.progress = new BatchProgress(this.maxThreads);
    const workerData: WorkerData = { progress: this.progress.cells };
    this.piscina = new Piscina({
      filename: WORKER_URL,
      minThreads: this.permits,
      maxThreads: this.maxThreads,
      idleTimeout: 10_000,
      resourceLimits: options.resourceLimits,
      workerData,
    });
    this.piscina.on("error", () => {
      // A worker error outside a task; the task-level rejection carries the detail.
    });
  }

  get numThreads(): number {
    return this.permits;
  }

  setNumThreads(numThreads: number): void {
    this.permits = validateThreadCount("numThreads", numThreads, this.maxThreads);
    this.pump();
  }

  /** Runs `spec` on `item` in a worker. A signal makes the call travel alone, so aborting it kills only its worker. */
  submit(spec: PoolTaskSpec, item: unknown, transfer: boolean, signal?: AbortSignal): Promise<unknown> {
    if (this.destroyed) return Promise.reject(new Error("The worker pool has been shut down"));
    return new Promise((resolve, reject) => {
      const call: PendingCall = { spec, item, transfer, signal, resent: false, resolve, reject };
      if (signal) {
        if (signal.aborted) return reject(abortReason(signal));
        signal.addEventListener("abort", () => this.withdraw(call), { once: true });
      }
      this.waiting.push(call);
      this.countWaiting(spec, 1);
      this.pump();
    });
  }

  /** Calls of this task waiting for a thread now. */
  waitingFor(spec: PoolTaskSpec): number {
    return this.waitingByTask.get(spec) ?? 0;
  }

  private countWaiting(spec: PoolTaskSpec, delta: number): void {
    this.waitingByTask.set(spec, (this.waitingByTask.get(spec) ?? 0) + delta);
  }

  stats(): PoolStats {
    return {
      numThreads: this.permits,
      maxThreads: this.maxThreads,
      busyThreads: this.busyThreads,
      waitingTasks: this.waiting.length - this.waitingHead + this.runningCalls - this.busyThreads,
      runningCalls: this.runningCalls,
      completedCalls: this.completedCalls,
      workerDeaths: this.workerDeaths,
    };
  }

  /** Terminates every worker; calls still waiting or running reject. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    const stopped = new Error("The worker pool was shut down");
    for (let i = this.waitingHead; i < this.waiting.length; i++) this.waiting[i].reject(stopped);
    this.waiting.length = 0;
    this.waitingHead = 0;
    this.waitingByTask.clear();
    await this.piscina.destroy();
  }

  private withdraw(call: PendingCall): void {
    const index = this.waiting.indexOf(call, this.waitingHead);
    if (index < 0) return;
    this.waiting.splice(index, 1);
    this.countWaiting(call.spec, -1);
    call.reject(abortReason(call.signal!));
  }

  private pump(): void {
    while (!this.destroyed && this.busyThreads < this.permits && this.waitingHead < this.waiting.length) {
      this.dispatch(this.takeBatch());
    }
    if (this.waitingHead > 1024 && this.waitingHead * 2 > this.waiting.length) {
      this.waiting.splice(0, this.waitingHead);
      this.waitingHead = 0;
    }
  }

  /** Takes the first waiting call and, for short calls without a signal, the same task's next ones. */
  private takeBatch(): PendingCall[] {
    const first = this.waiting[this.waitingHead++];
    const batch = [first];
    if (first.signal || first.resent) return batch;
    // Calls longer than a message round trip travel one per message, so each result comes back
    // as soon as it is done; shorter ones go to the free threads in as few messages as possible.
    const waiting = this.waiting.length - this.waitingHead + 1;
    const freeThreads = Math.max(1, this.permits - this.busyThreads);
    const short = this.batchBelowMs === Infinity || this.msPerCall < this.batchBelowMs;
    const share = short ? Math.min(this.maxBatch, Math.ceil(waiting / freeThreads)) : 1;
    while (batch.length < share && this.waitingHead < this.waiting.length) {
      const next = this.waiting[this.waitingHead];
      if (next.spec !== first.spec || next.signal || next.resent) break;
      batch.push(next);
      this.waitingHead++;
    }
    return batch;
  }

  private dispatch(batch: PendingCall[]): void {
    const { spec } = batch[0];
    // In a batch one call runs at a time; the others still wait for the thread.
    this.countWaiting(spec, -1);
    // Only a call travelling alone moves its buffers: in a batch they are copied, so when one call
    // kills the worker every other call still has its item and can be sent again.
    const transferList: ArrayBuffer[] = [];
    if (batch.length === 1 && batch[0].transfer) addOwnedArrayBuffers(batch[0].item, transferList);
    const progressSlot = batch.length > 1 ? this.progress.claim() : NO_SLOT;
    const message: WorkerBatch = {
      moduleUrl: spec.moduleUrl,
      exportName: spec.exportName,
      params: spec.params,
      items: batch.map((call) => call.item),
      progressSlot,
    };
    this.busyThreads++;
    this.runningCalls += batch.length;
    const sentAt = performance.now();
    // The thread is given back (and the next waiting call sent) before the results are
    // handed out: the worker gets its next task without waiting for the stages to react.
    const release = (completed: number): void => {
      this.countWaiting(spec, -(batch.length - 1));
      this.busyThreads--;
      this.runningCalls -= batch.length;
      this.completedCalls += completed;
      this.pump();
    };
    this.piscina.run(message, { transferList, signal: batch[0].signal ?? null }).then(
      (reply: WorkerReply) => {
        if (progressSlot !== NO_SLOT) this.progress.release(progressSlot);
        const perCall = (performance.now() - sentAt) / batch.length;
        this.msPerCall = this.msPerCall === Infinity ? perCall : this.msPerCall * 0.8 + perCall * 0.2;
        release(batch.length);
        for (let i = 0; i < batch.length; i++) {
          const result = reply.results[i];
          if (!result.ok) batch[i].reject(deserializeError(result.error));
          else if (result.generated) {
            const error = result.error && deserializeError(result.error);
            batch[i].resolve(new GeneratedValues(result.value, error, batch[i].item));
          } else batch[i].resolve(result.value);
        }
      },
      (error: unknown) => {
        const running = progressSlot === NO_SLOT ? 0 : this.progress.release(progressSlot);
        const failure = describeWorkerFailure(error, spec);
        if (failure.workerDied) this.workerDeaths++;
        if (!failure.workerDied || this.destroyed) {
          release(batch.length);
          for (const call of batch) call.reject(failure.error);
          return;
        }
        // Only the call its worker was running dies with it; the others go first in line again.
        const { culprit, resend } = splitDeadBatch(batch, running);
        this.resendFirst(resend);
        release(batch.length - resend.length);
        culprit?.reject(failure.error);
      },
    );
  }

  private resendFirst(calls: PendingCall[]): void {
    if (calls.length === 0) return;
    for (const call of calls) call.resent = true;
    this.waiting.splice(this.waitingHead, 0, ...calls);
    this.countWaiting(calls[0].spec, calls.length);
  }
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error("The call was aborted");
}
