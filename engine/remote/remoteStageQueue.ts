/**
 * One remote stage's side of a run: its BullMQ queue (one per run and stage), the calls it has
 * outstanding and how their results come back. A result arrives through the queue's events
 * stream; since that stream is trimmed and lost if Redis restarts, a reconciliation pass also
 * asks Redis about calls that have waited a while. Each call's result is taken once: whichever
 * path delivers it first removes the call, and a late result (a job run again after its worker
 * died, or one whose call timed out) finds nothing to settle.
 */
import { performance } from "node:perf_hooks";
import { Queue, QueueEvents, type ConnectionOptions, type Job } from "bullmq";
import type { Redis, RedisOptions } from "ioredis";
import { RemoteDeadlineError, RemoteJobLostError } from "../errors.js";
import { LatencyHistogram, summarize } from "../stats/histogram.js";
import type { RemoteStageStats } from "../stats/snapshot.js";
import type { RemoteCode } from "./code.js";
import { decodePayload, encodePayload, freePayload, type Payload } from "./payload.js";
import { blobKey, BULL_PREFIX, EVENTS_MAX_LEN, type JobData, type JobResult } from "./protocol.js";

interface PendingCall {
  jobId: string;
  startedAt: number;
  input: Payload | undefined;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  onAbort: (() => void) | undefined;
  signal: AbortSignal | undefined;
}

/** Calls waiting longer than this are checked against Redis on each reconciliation pass. */
const RECONCILE_AFTER_MS = 2_000;
/** How long closing waits for Redis before it cuts the connections. */
const CLOSE_GRACE_MS = 1_000;
/** At most this many checks per pass, oldest calls first, so a large backlog costs Redis little. */
const RECONCILE_BATCH = 100;

export class RemoteStageQueue {
  readonly queueName: string;
  private readonly queue: Queue;
  private readonly events: QueueEvents;
  private readonly pending = new Map<string, PendingCall>();
  private nextCall = 0;
  private closed = false;
  private completed = 0;
  private lateResults = 0;
  private reconciled = 0;
  private waiting = 0;
  private running = 0;
  private readonly queueWait = new LatencyHistogram();
  private readonly run = new LatencyHistogram();
  private readonly transport = new LatencyHistogram();
  /** Results taken per worker name: exact, unlike the workers' own once-a-second figures. */
  readonly doneByWorker = new Map<string, number>();
  /** Seen on the connections; the executor reports it. */
  lastError: Error | undefined;
  /** A job of this stage stalled (its worker stopped renewing the lock; BullMQ gives it to another): the job, and its worker if known. */
  onJobStalled: ((jobId: string, worker: string | null) => void) | undefined;

  constructor(
    readonly stage: string,
    queueName: string,
    readonly code: RemoteCode,
    private readonly redis: Redis,
    connection: RedisOptions,
    private readonly deadlineMs: number,
  ) {
    this.queueName = queueName;
    this.queue = new Queue(queueName, {
      connection: redis,
      prefix: BULL_PREFIX,
      // Every event holds a result: a short stream keeps Redis small even with large results.
      streams: { events: { maxLen: EVENTS_MAX_LEN } },
      defaultJobOptions: { attempts: 1, removeOnComplete: { count: 1000 }, removeOnFail: { count: 1000 } },
    });
    // A fresh queue per run: reading its stream from the start misses no early result.
    this.events = new QueueEvents(queueName, { connection: connection as ConnectionOptions, prefix: BULL_PREFIX, lastEventId: "0-0" });
    const noteError = (error: Error) => (this.lastError = error);
    this.queue.on("error", noteError);
    this.events.on("error", noteError);
    this.events.on("completed", ({ jobId, returnvalue }) => {
      const result = (typeof returnvalue === "string" ? JSON.parse(returnvalue) : returnvalue) as JobResult;
      void this.settle(jobId, result);
    });
    this.events.on("failed", ({ jobId, failedReason }) => this.fail(jobId, new Error(failedReason)));
    this.events.on("stalled", ({ jobId }) => void this.jobStalled(jobId));
  }

  private async jobStalled(jobId: string): Promise<void> {
    // The worker that held it names itself on the job (BullMQ's processedBy), when Redis still has it.
    const job = (await this.queue.getJob(jobId).catch(() => undefined)) as Job<JobData, JobResult> | undefined;
    this.onJobStalled?.(jobId, job?.processedBy ?? null);
  }

  async open(): Promise<void> {
    await Promise.all([this.queue.waitUntilReady(), this.events.waitUntilReady()]);
  }

  get outstanding(): number {
    return this.pending.size;
  }

  /** One call: its item becomes a job; resolves with the op's value, rejects with its error (name and message kept). */
  submit(item: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    const jobId = `c${++this.nextCall}`;
    return new Promise<unknown>((resolve, reject) => {
      const call: PendingCall = {
        jobId,
        startedAt: performance.now(),
        input: undefined,
        resolve,
        reject,
        timer: setTimeout(() => this.expire(jobId), this.deadlineMs),
        onAbort: undefined,
        signal,
      };
      if (signal) {
        call.onAbort = () => {
          if (this.take(jobId)) reject(signal.reason as Error);
          void this.queue.remove(jobId).catch(() => undefined);
        };
        signal.addEventListener("abort", call.onAbort, { once: true });
      }
      this.pending.set(jobId, call);
      void this.enqueue(call, item);
    });
  }

  private async enqueue(call: PendingCall, item: unknown): Promise<void> {
    try {
      call.input = await encodePayload(item, this.redis, blobKey(this.queueName, call.jobId, "in"));
      const data: JobData = { callId: call.jobId, stage: this.stage, item: call.input };
      await this.queue.add(this.stage, data, { jobId: call.jobId });
    } catch (error) {
      if (this.take(call.jobId)) call.reject(error as Error);
    }
  }

  /** Removes a call from the outstanding ones; false if it was settled already (the result is taken once). */
  private take(jobId: string): PendingCall | undefined {
    const call = this.pending.get(jobId);
    if (!call) return undefined;
    this.pending.delete(jobId);
    clearTimeout(call.timer);
    if (call.onAbort) call.signal!.removeEventListener("abort", call.onAbort);
    freePayload(call.input, this.redis);
    return call;
  }

  private async settle(jobId: string, result: JobResult): Promise<void> {
    const call = this.take(jobId);
    if (!call) {
      this.lateResults++;
      if (result.ok) freePayload(result.value, this.redis);
      return;
    }
    const totalMs = performance.now() - call.startedAt;
    this.completed++;
    this.doneByWorker.set(result.worker, (this.doneByWorker.get(result.worker) ?? 0) + 1);
    const runMs = Math.min(result.runMs, totalMs);
    const waitMs = Math.max(0, Math.min(result.waitMs, totalMs - runMs));
    this.run.record(runMs);
    this.queueWait.record(waitMs);
    this.transport.record(Math.max(0, totalMs - runMs - waitMs));
    if (!result.ok) {
      const error = new Error(result.error.message);
      error.name = result.error.name;
      if (result.error.stack) error.stack = result.error.stack;
      call.reject(error);
      return;
    }
    try {
      const value = await decodePayload(result.value, this.redis);
      freePayload(result.value, this.redis);
      call.resolve(value);
    } catch (error) {
      call.reject(error as Error);
    }
  }

  private fail(jobId: string, error: Error): void {
    const call = this.take(jobId);
    if (call) call.reject(error);
    else this.lateResults++;
  }

  private expire(jobId: string): void {
    const call = this.take(jobId);
    if (!call) return;
    call.reject(
      new RemoteDeadlineError(
        this.stage,
        this.deadlineMs,
        this.redis.status === "ready" ? "no worker returned it" : `Redis is ${this.redis.status}`,
      ),
    );
    void this.queue.remove(jobId).catch(() => undefined);
  }

  /**
   * Asks Redis about calls that have waited a while: a finished job whose event was lost is
   * settled from the job itself; a job Redis no longer has fails its call (the stage's retries apply).
   */
  async reconcile(): Promise<void> {
    if (this.redis.status !== "ready") return;
    const now = performance.now();
    const old: PendingCall[] = [];
    for (const call of this.pending.values()) {
      if (now - call.startedAt < RECONCILE_AFTER_MS || call.input === undefined) continue;
      old.push(call);
      if (old.length >= RECONCILE_BATCH) break;
    }
    await Promise.all(
      old.map(async (call) => {
        const job = (await this.queue.getJob(call.jobId)) as Job<JobData, JobResult> | undefined;
        if (!this.pending.has(call.jobId)) return;
        if (!job) {
          // Added, then gone without a result: lost with Redis' memory.
          this.reconciled++;
          this.fail(call.jobId, new RemoteJobLostError(this.stage, call.jobId));
          return;
        }
        if (job.finishedOn === undefined) return;
        this.reconciled++;
        if (job.returnvalue) await this.settle(call.jobId, job.returnvalue);
        else if (job.failedReason) this.fail(call.jobId, new Error(job.failedReason));
      }),
    );
  }

  /** Reads the waiting and running counts from Redis (polled about once a second). */
  async poll(): Promise<void> {
    if (this.redis.status !== "ready") return;
    const counts = await this.queue.getJobCounts("waiting", "active", "prioritized");
    this.waiting = (counts.waiting ?? 0) + (counts.prioritized ?? 0);
    this.running = counts.active ?? 0;
  }

  stats(): RemoteStageStats {
    return {
      queue: this.queueName,
      outstanding: this.pending.size,
      waiting: Math.min(this.waiting, this.pending.size),
      running: Math.min(this.running, this.pending.size),
      completed: this.completed,
      lateResults: this.lateResults,
      reconciled: this.reconciled,
      queueWaitMs: summarize(this.queueWait),
      runMs: summarize(this.run),
      transportMs: summarize(this.transport),
    };
  }

  /** Ends the stage's queue: waiting jobs are removed, results still to come are ignored, Redis is left clean. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const jobId of [...this.pending.keys()]) {
      const call = this.take(jobId);
      call?.reject(new Error(`Stage '${this.stage}': the run ended before this remote call returned`));
    }
    if (this.redis.status === "ready") {
      await this.queue.obliterate({ force: true }).catch((error: Error) => (this.lastError = error));
    }
    // BullMQ's close waits for Redis; with Redis gone it would wait for ever, so it gets a moment, then the sockets are cut.
    let timer: NodeJS.Timeout | undefined;
    const closed = Promise.allSettled([this.events.close(), this.queue.close()]);
    await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)))]);
    clearTimeout(timer);
    // Not awaited: a disconnect also waits for a connection that may never come.
    this.events.disconnect().catch(() => undefined);
    this.queue.disconnect().catch(() => undefined);
  }
}
