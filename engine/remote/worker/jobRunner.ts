/**
 * How a worker runs one job: the item out of Redis, the op on one of the worker's threads (never
 * its event loop, which must stay free to renew the job's lock), the result back in. The op's
 * error becomes part of the result, with its name and message, so the pipeline rethrows it as
 * it was; only trouble with Redis itself fails the job.
 */
import { performance } from "node:perf_hooks";
import type { Job } from "bullmq";
import type { Redis } from "ioredis";
import type { PoolTaskSpec } from "../../pool/messages.js";
import type { WorkerPool } from "../../pool/workerPool.js";
import { decodePayload, encodePayload } from "../payload.js";
import { blobKey, type JobData, type JobResult } from "../protocol.js";

export interface JobRunnerContext {
  worker: string;
  queue: string;
  task: PoolTaskSpec;
  pool: WorkerPool;
  redis: Redis;
}

export async function runJob(job: Job<JobData>, context: JobRunnerContext): Promise<JobResult> {
  const waitMs = Math.max(0, (job.processedOn ?? Date.now()) - job.timestamp);
  const item = await decodePayload(job.data.item, context.redis);
  const startedAt = performance.now();
  let outcome: { ok: true; value: unknown } | { ok: false; error: Error };
  try {
    outcome = { ok: true, value: await context.pool.submit(context.task, item, true, undefined) };
  } catch (error) {
    outcome = { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
  const runMs = performance.now() - startedAt;
  const base = { runMs, waitMs, worker: context.worker };
  if (!outcome.ok) return { ok: false, error: serialized(outcome.error), ...base };
  try {
    const value = await encodePayload(outcome.value, context.redis, blobKey(context.queue, job.id!, "out"));
    return { ok: true, value, ...base };
  } catch (error) {
    // A result v8 cannot serialise (a function, a socket): the item fails with a reason, the job does not.
    if ((error as Error).name === "DataCloneError" || error instanceof TypeError) {
      return {
        ok: false,
        error: serialized(new TypeError(`the result cannot travel back to the pipeline: ${(error as Error).message}`)),
        ...base,
      };
    }
    throw error;
  }
}

function serialized(error: Error): { name: string; message: string; stack?: string } {
  return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
}
