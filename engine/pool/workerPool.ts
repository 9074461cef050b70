import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import type { ResourceLimits } from "node:worker_threads";
import { ConfigError } from "../errors.js";
import { SIZE_BOUNDS } from "../bounds.js";
import { integerWithin } from "../validate.js";
import { builtModuleUrl } from "./builtModule.js";
import { deserializeError, type PoolTaskSpec, type WorkerBatch, type WorkerReply } from "./protocol.js";
import { ownedArrayBuffers } from "./transfer.js";

export interface WorkerPoolOptions {
  numThreads: number;
  /** Threads the pool may grow to with setNumThreads (piscina cannot resize after creation). */
  maxThreads?: number;
  /** Most items sent to one worker in one message. */
  maxBatch?: number;
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
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

const DEFAULT_MAX_BATCH = 64;
/** Below this per-call time (round trip included) a call costs less than its message. */
const TINY_CALL_MS = 0.5;
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
 * concurrency a stage has stays the same, only the transport is batched.
 */
export class WorkerPool {
  private readonly piscina: Piscina;
  private permits: number;
  readonly maxThreads: number;
  private readonly maxBatch: number;
  private readonly waiting: PendingCall[] = [];
  private waitingHead = 0;
  private busyThreads = 0;
  private runningCalls = 0;
  private completedCalls = 0;
  private workerDeaths = 0;
  private destroyed = false;
  /** Calls waiting for a thread, per task (each pool stage has its own task spec). */
  private readonly waitingByTask = new Map<PoolTaskSpec, number>();
  /** Recent round-trip time per call (a moving average over batches), for batch sizing. */
  private msPerCall = Infinity;

  constructor(options: WorkerPoolOptions) {
    const cores = availableParallelism();
    this.maxThreads = validateThreadCount("maxThreads", options.maxThreads ?? Math.min(Math.max(options.numThreads, cores * 2, 4), SIZE_BOUNDS.numThreads.max));
    this.permits = validateThreadCount("numThreads", options.numThreads, this.maxThreads);
    this.maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
    this.piscina = new Piscina({
      filename: WORKER_URL,
      minThreads: this.permits,
      maxThreads: this.maxThreads,
      idleTimeout: 10_000,
      resourceLimits: options.resourceLimits,
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
      const call: PendingCall = { spec, item, transfer, signal, resolve, reject };
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
    if (first.signal) return batch;
    // Calls longer than a message round trip travel one per message, so each result comes back
    // as soon as it is done; shorter ones go to the free threads in as few messages as possible.
    const waiting = this.waiting.length - this.waitingHead + 1;
    const freeThreads = Math.max(1, this.permits - this.busyThreads);
    const share = this.msPerCall < TINY_CALL_MS ? Math.min(this.maxBatch, Math.ceil(waiting / freeThreads)) : 1;
    while (batch.length < share && this.waitingHead < this.waiting.length) {
      const next = this.waiting[this.waitingHead];
      if (next.spec !== first.spec || next.signal) break;
      batch.push(next);
      this.waitingHead++;
    }
    return batch;
  }

  private dispatch(batch: PendingCall[]): void {
    const { spec } = batch[0];
    // In a batch one call runs at a time; the others still wait for the thread.
    this.countWaiting(spec, -1);
    const transferList: ArrayBuffer[] = [];
    for (const call of batch) if (call.transfer) ownedArrayBuffers(call.item, transferList);
    const message: WorkerBatch = {
      moduleUrl: spec.moduleUrl,
      exportName: spec.exportName,
      params: spec.params,
      items: batch.map((call) => call.item),
    };
    this.busyThreads++;
    this.runningCalls += batch.length;
    const sentAt = performance.now();
    // The thread is given back (and the next waiting call sent) before the results are
    // handed out: the worker gets its next task without waiting for the stages to react.
    const release = (): void => {
      this.countWaiting(spec, -(batch.length - 1));
      const perCall = (performance.now() - sentAt) / batch.length;
      this.msPerCall = this.msPerCall === Infinity ? perCall : this.msPerCall * 0.8 + perCall * 0.2;
      this.busyThreads--;
      this.runningCalls -= batch.length;
      this.completedCalls += batch.length;
      this.pump();
    };
    this.piscina.run(message, { transferList, signal: batch[0].signal ?? null }).then(
      (reply: WorkerReply) => {
        release();
        for (let i = 0; i < batch.length; i++) {
          const result = reply.results[i];
          if (result.ok) batch[i].resolve(result.value);
          else batch[i].reject(deserializeError(result.error));
        }
      },
      (error: unknown) => {
        release();
        const failure = describeWorkerFailure(error, spec);
        if (failure.workerDied) this.workerDeaths++;
        for (const call of batch) call.reject(failure.error);
      },
    );
  }
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error("The call was aborted");
}

function describeWorkerFailure(error: unknown, spec: PoolTaskSpec): { error: Error; workerDied: boolean } {
  const cause = error instanceof Error ? error : new Error(String(error));
  const code = (cause as { code?: string }).code;
  const where = `${spec.exportName} (${spec.moduleUrl})`;
  if (code === "ERR_WORKER_OUT_OF_MEMORY") {
    return { error: new Error(`The worker running ${where} ran out of memory (resourceLimits) and was replaced`, { cause }), workerDied: true };
  }
  if (/worker exited|terminated/i.test(cause.message) && cause.name !== "AbortError") {
    return { error: new Error(`The worker running ${where} exited (${cause.message}) and was replaced`, { cause }), workerDied: true };
  }
  return { error: cause, workerDied: false };
}
