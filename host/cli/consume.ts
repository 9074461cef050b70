import { PipelineError, type Pipeline } from "../../engine/index.js";

export type RunOutcome = "completed" | "failed" | "stopped" | "limit";

export interface ConsumeOptions {
  /** Stop after this many delivered items. */
  limit?: number;
  /** Aborting it (Ctrl-C) stops the pipeline cleanly. */
  signal?: AbortSignal;
}

export interface ConsumeResult {
  outcome: RunOutcome;
  itemsDelivered: number;
  /** Why a run failed: usually a PipelineError naming the stage. */
  error?: Error;
}

/**
 * Drains a pipeline, counting items and discarding them. Resolves once the pipeline has fully
 * stopped (ops aborted, pool released), whichever way the run ended, so the final stats are final.
 */
export async function consume(pipeline: Pipeline<unknown>, options: ConsumeOptions = {}): Promise<ConsumeResult> {
  const { limit, signal } = options;
  // stop() on a pipeline that never started leaves nothing to deliver the end: don't start it.
  if (signal?.aborted) {
    await pipeline.stop();
    return { outcome: "stopped", itemsDelivered: 0 };
  }
  let stopping: Promise<void> | undefined;
  const onAbort = () => {
    stopping ??= pipeline.stop();
  };
  signal?.addEventListener("abort", onAbort, { once: true });

  let itemsDelivered = 0;
  let limitReached = false;
  let error: Error | undefined;
  try {
    // The iterator rather than getItem(): it takes ready items without a promise each, and
    // leaving the loop early (the limit) stops the pipeline through its return().
    for await (const _item of pipeline) {
      itemsDelivered++;
      if (limit !== undefined && itemsDelivered >= limit) {
        limitReached = true;
        break;
      }
    }
  } catch (caught) {
    error = caught instanceof Error ? caught : new Error(String(caught));
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  // After an end, a failure or the limit this only waits for the release of the pool and timers.
  await (stopping ?? pipeline.stop());

  // Ctrl-C (or SIGTERM) wins: the user asked to stop, and exit 130 (143) tells scripts so.
  const outcome: RunOutcome = signal?.aborted ? "stopped" : error ? "failed" : limitReached ? "limit" : "completed";
  return { outcome, itemsDelivered, ...(error ? { error } : {}) };
}

/** The error as JSON: PipelineErrors keep the stage, the limit and the causes with item previews. */
export function describeError(error: Error): Record<string, unknown> {
  if (error instanceof PipelineError) {
    return {
      name: error.name,
      message: error.message,
      stage: error.stage,
      failures: error.failures,
      maxFailures: error.maxFailures,
      causes: error.causes.map((cause) => ({
        stage: cause.stage,
        error: { name: cause.error.name, message: cause.error.message },
        item: cause.itemPreview,
        attempts: cause.attempts,
      })),
    };
  }
  return { name: error.name, message: error.message };
}
