import type { OpWaitStats } from "./opWaits.js";
import type { StageKind } from "../config.js";
import type { PoolStats } from "../pool/workerPool.js";
import type { ExecutorKind } from "../executors.js";
import type { LatencySummary } from "./histogram.js";

export type PipelineState = "ready" | "running" | "stopping" | "completed" | "failed" | "stopped";
export type StageState = "running" | "done" | "cancelled" | "failed";

export interface StageSnapshot {
  name: string;
  kind: StageKind;
  /** Where calls run: the event loop, the worker pool, or nowhere (aggregate / disaggregate). */
  executor: ExecutorKind;
  state: StageState;
  concurrency: number;
  /** Calls running now (for a pool stage, including those waiting for a thread). */
  inFlight: number;
  /** Pool stages: calls waiting for a thread now. */
  waitingForThread: number;
  /** Finished results still holding a slot: waiting for earlier ones to leave (input order) or for room downstream. */
  awaitingOutput: number;
  itemsIn: number;
  itemsOut: number;
  failures: number;
  /** Items the op returned undefined for: dropped on purpose. */
  dropped: number;
  retries: number;
  /** Since start. */
  latencyMs: LatencySummary;
  /** Over the last few seconds (reflects a knob change quickly). */
  recentLatencyMs: LatencySummary;
  /** Items out per second over the sliding window. */
  throughput: number;
  /** Mean busy slots ÷ concurrency over the sliding window (0..1). */
  busyFraction: number;
  /** The same since the stage started (against its current concurrency). */
  busyFractionSinceStart: number;
  /** The op ran inline on the event loop as a plain synchronous function. */
  blocksEventLoop: boolean;
  /** Remote stages only: the stage's queue in Redis and the workers serving it. */
  remote?: RemoteStageSnapshot;
  /** Route stages only: items sent down each path, by path index. */
  routed?: number[];
  /** Stages on a path of a route only: that route (the innermost) and the path's index. */
  path?: { route: string; index: number };
}

/** What a remote stage's calls are doing (Redis counts as of the last poll, about once a second). */
export interface RemoteStageStats {
  /** The stage's BullMQ queue (one per run and stage). */
  queue: string;
  outstanding: number;
  /** Jobs waiting in Redis for a worker, and running on one (as of the last poll). */
  waiting: number;
  running: number;
  completed: number;
  /** Results that arrived for a call already settled (a job run twice, a call that timed out). */
  lateResults: number;
  /** Calls recovered by reconciliation rather than by the events stream. */
  reconciled: number;
  queueWaitMs: LatencySummary;
  runMs: LatencySummary;
  transportMs: LatencySummary;
}

export interface RemoteStageSnapshot extends RemoteStageStats {
  /** Jobs each worker runs at once for this stage (null: the workers' own --threads). */
  workerThreads: number | null;
  /** Worker slots serving the stage: the sum of their threads for it. */
  workerSlots: number;
  workers: RemoteWorkerSnapshot[];
  /** The run's Redis, the password hidden. */
  redisUrl: string;
  /** The run's connection to Redis, in words (see RedisConnection). */
  redisConnection: RedisConnection;
  /** How long Redis has been away (0 while connected). */
  redisAwayMs: number;
  /** Connection to Redis: "ready", or what ioredis reports ("reconnecting", …). */
  redisStatus: string;
  lastError: string | null;
  /** Workers joining, leaving, stalling and recovering while serving this stage, oldest first (the last 100). */
  workerEvents: RemoteWorkerEvent[];
}

/**
 * "connecting" before Redis first answered; "connected"; "reconnecting" while it has been away for
 * a few seconds (ioredis retries); "lost" past that (calls time out and retry by the stage's policy,
 * and the run fails once Redis stays away longer than the calls' deadline); "closed" once the run
 * ended and let go of it.
 */
export type RedisConnection = "connecting" | "connected" | "reconnecting" | "lost" | "closed";

/**
 * Something that happened to a worker serving a remote stage: it joined (or joined refusing the
 * stage's code), left (stopped, died, or lost Redis: its state expired), stalled (no heartbeat for
 * a few seconds: blocked, stopped or cut off), recovered (heartbeats again), or a job of the stage
 * stalled (its worker stopped renewing the lock: BullMQ gives the job to another worker).
 */
export interface RemoteWorkerEvent {
  /** Since the run started, on the snapshot's elapsedMs clock. */
  atMs: number;
  kind: "joined" | "refused" | "left" | "stalled" | "recovered" | "jobStalled";
  /** The worker's name ("" when a stalled job's worker is unknown). */
  worker: string;
  /** In words, for a list or a tooltip: "joined on box-2 with 4 threads", "no heartbeat for 3 s". */
  detail: string;
}

/** One worker process serving a remote stage. */
export interface RemoteWorkerSnapshot {
  name: string;
  host: string;
  /** Jobs it runs at once for this stage. */
  threads: number;
  busy: number;
  done: number;
  itemsPerSecond: number;
  /** Since its last heartbeat, by the worker's clock against ours at reading. */
  heartbeatAgeMs: number;
  /** Why it does not serve this stage (its code differs), or null. */
  refused: string | null;
  /** False once it left (stopped, died, or the run ended): its last figures stay. */
  connected: boolean;
  /** No new heartbeat for a few seconds by this process's clock: blocked, stopped or cut off (it leaves if that goes on). */
  stalled: boolean;
}

export interface QueueSnapshot {
  /** "producer→consumer"; the last queue's consumer is "sink". */
  name: string;
  from: string[];
  to: string;
  depth: number;
  capacity: number;
  /** Items put in. */
  puts: number;
  /** Items taken out (SPDL's num_items: what went through). */
  items: number;
  /** Items taken out per second since the start (SPDL's QPS). */
  qps: number;
  /** SPDL's ave/p90/p99 put time: per item put, how long its producer waited for room (0 when there was room). */
  putWait: OpWaitStats;
  /** SPDL's ave/p90/p99 get time: per item taken, how long its consumer waited for it (0 when one was there). */
  getWait: OpWaitStats;
  /** SPDL's occupancy rate: the share of the elapsed time the queue was not empty. */
  occupancy: number;
  /** ms during which at least one producer waited for room (wall time, not per item). */
  blockedMs: number;
  /** ms during which the consumer waited for an item (wall time, not per item). */
  starvedMs: number;
  /** Fraction of elapsed time a producer waited on it being full (back pressure). */
  blockedFraction: number;
}

export interface ProcessSnapshot {
  /** Event-loop utilisation over the last sampling window (0..1). */
  eventLoopUtilization: number;
  eventLoopLagMs: { mean: number; p99: number; max: number };
  heapUsedBytes: number;
  rssBytes: number;
}

export type PoolSnapshot = PoolStats;

export interface PipelineSnapshot {
  state: PipelineState;
  /** Sources held by pause(): nothing new enters. */
  paused: boolean;
  /** drain() was called: no new source items; the pipeline completes once what is inside is delivered. */
  draining: boolean;
  elapsedMs: number;
  itemsDelivered: number;
  /** Items delivered to the consumer per second over the sliding window. */
  deliveredPerSecond: number;
  failures: number;
  stages: StageSnapshot[];
  queues: QueueSnapshot[];
  pool: PoolSnapshot | null;
  process: ProcessSnapshot;
  /**
   * With a consumer (build({ consumer }), a sink's `consumer`): the share of the consumer's time
   * not spent waiting for an item (0–1), what SPDL's docs call data readiness. null without one.
   */
  readiness: number | null;
  /** Process CPU time (all threads) ÷ (elapsed × cores) since the start: the share of the machine used. */
  cpu: number;
}
