/**
 * What a pipeline and its remote workers agree on through Redis: key and channel names, the
 * announcement of a run's remote stages, a job's data and its result. Both sides import this
 * file; a worker of another version refuses jobs whose code it does not have (see code.ts).
 */
import type { RemoteCode } from "./code.js";
import type { Payload } from "./payload.js";

/** Every key this feature writes starts with this, so a shared Redis stays tidy. */
export const KEY_PREFIX = "pipeline-studio";
/** BullMQ's own prefix for the queues' keys. */
export const BULL_PREFIX = `${KEY_PREFIX}:bull`;
/** Runs announce, end and turn knobs here; every worker listens. */
export const CONTROL_CHANNEL = `${KEY_PREFIX}:control`;

export const runKey = (runId: string): string => `${KEY_PREFIX}:run:${runId}`;
export const RUN_KEY_PATTERN = `${KEY_PREFIX}:run:*`;
export const workerKey = (name: string): string => `${KEY_PREFIX}:worker:${name}`;
export const WORKER_KEY_PATTERN = `${KEY_PREFIX}:worker:*`;
export const blobKey = (queue: string, jobId: string, side: "in" | "out"): string => `${KEY_PREFIX}:blob:${queue}:${jobId}:${side}`;

/** A run refreshes its announcement this often; workers drop a run whose announcement expired (its producer died). */
export const RUN_HEARTBEAT_MS = 2_000;
export const RUN_KEY_TTL_MS = 10_000;
/** A worker publishes its state this often; its key expires after WORKER_KEY_TTL_MS without one. */
export const WORKER_HEARTBEAT_MS = 1_000;
export const WORKER_KEY_TTL_MS = 5_000;
/**
 * A job on a worker that died is taken again after about lockDuration + stalledInterval: 15 s
 * rather than BullMQ's 60 s. The lock is renewed every lockDuration / 2 by the worker's event
 * loop, which stays free because ops run on its threads.
 */
export const LOCK_DURATION_MS = 10_000;
export const STALLED_INTERVAL_MS = 5_000;
/** A call with no timeoutMs of its own fails after this: well above the stall recovery above. */
export const DEFAULT_DEADLINE_MS = 60_000;
/** Results reach the pipeline through the events stream; each holds a result, so keep it short. */
export const EVENTS_MAX_LEN = 2_000;
/** Payloads above this go to a key of their own (with a TTL) instead of into the job or the events stream. */
export const INLINE_PAYLOAD_MAX_BYTES = 64 * 1024;
export const BLOB_TTL_MS = 3_600_000;

/** One remote stage of a run, as workers learn it. */
export interface AnnouncedStage {
  /** The BullMQ queue: one per run and stage, so stray workers of another run never take its jobs. */
  queue: string;
  stage: string;
  code: RemoteCode;
  /** Jobs each worker runs at once for this stage (setWorkerThreads); null: the worker's --threads. */
  threads: number | null;
}

export interface RunAnnouncement {
  runId: string;
  /** Where the run is: host name and process id, for the workers' logs. */
  from: string;
  stages: AnnouncedStage[];
  /** Set when the run ended: kept a few seconds so every worker learns it (and may clean its queues), not only those that got the message. */
  ended?: boolean;
}

export type ControlMessage =
  { type: "announce"; runId: string } | { type: "end"; runId: string } | { type: "threads"; runId: string; queue: string; threads: number };

/** A job's data: one attempt of one call. */
export interface JobData {
  /** The call this attempt belongs to; its result is taken once whatever jobs carried it. */
  callId: string;
  stage: string;
  item: Payload;
}

/** What a worker returns for a job: the op's value or its error (name and message kept), and where the time went. */
export type JobResult = ({ ok: true; value: Payload } | { ok: false; error: SerializedRemoteError }) & {
  /** The op's time on the worker's thread. */
  runMs: number;
  /** From the job's creation to a worker taking it (two clocks when the worker is on another host). */
  waitMs: number;
  worker: string;
};

export interface SerializedRemoteError {
  name: string;
  message: string;
  stack?: string;
}

/** A worker's state, published under workerKey(name) with a TTL. */
export interface WorkerState {
  name: string;
  host: string;
  pid: number;
  threads: number;
  busy: number;
  done: number;
  startedAt: number;
  /** The worker's clock at this publication. */
  heartbeatAt: number;
  version: string;
  /** Per stage queue it serves: jobs running and done, or why it refused the stage. */
  queues: Record<string, { busy: number; done: number; threads: number; refused?: string }>;
}
