import type { RunOutcome } from "../engine/analysis/index.js";
import { setTimeout as delay } from "node:timers/promises";
import { PipelineError, type ConsumerSpec, type Pipeline } from "../engine/index.js";

/** How a drained run ended: as a run ends, or stopped by the consumer at its item limit (the CLI's --limit). */
export type ConsumeOutcome = RunOutcome | "limit";

export interface ConsumeOptions {
  /** Stop after this many delivered items. */
  limit?: number;
  /** Aborting it (Ctrl-C) stops the pipeline cleanly. */
  signal?: AbortSignal;
  /** A simulated consumer: after every `batch` items it works `stepMs` (a training step) before taking more. */
  consumer?: ConsumerSpec;
}

export interface ConsumeResult {
  outcome: ConsumeOutcome;
  itemsDelivered: number;
  /** Why a run failed: usually a PipelineError naming the stage. */
  error?: Error;
}

/**
 * The consumer of a run, the CLI's and the app's: drains a pipeline, counting items and
 * discarding them. Resolves once the pipeline has fully stopped (ops aborted, pool released),
 * whichever way the run ended, so the final stats are final. A run stopped by the signal or by
 * someone else's stop() (the app's Stop) ends "stopped".
 */
export async function consume(pipeline: Pipeline<unknown>, options: ConsumeOptions = {}): Promise<ConsumeResult> {
  const { limit, signal, consumer } = options;
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
  let stoppedElsewhere = false;
  try {
    // The iterator rather than getItem(): it takes ready items without a promise each, and
    // leaving the loop early (the limit) stops the pipeline through its return().
    for await (const _item of pipeline) {
      itemsDelivered++;
      if (limit !== undefined && itemsDelivered >= limit) {
        limitReached = true;
        break;
      }
      if (consumer && itemsDelivered % consumer.batch === 0) {
        // Aborted (Ctrl-C): the abort handler stops the pipeline; the loop ends at the next read.
        await delay(consumer.stepMs, undefined, { signal }).catch(() => undefined);
      }
    }
    // A stop() from outside ends the loop as quietly as the last item does.
    stoppedElsewhere = !limitReached && (pipeline.state === "stopping" || pipeline.state === "stopped");
  } catch (caught) {
    error = caught instanceof Error ? caught : new Error(String(caught));
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
  // After an end, a failure or the limit this only waits for the release of the pool and timers.
  await (stopping ?? pipeline.stop());

  // Ctrl-C (or SIGTERM) wins: the user asked to stop, and exit 130 (143) tells scripts so.
  const outcome: ConsumeOutcome = signal?.aborted || stoppedElsewhere ? "stopped" : error ? "failed" : limitReached ? "limit" : "completed";
  return { outcome, itemsDelivered, ...(error ? { error } : {}) };
}

/** How a run report and the app say it: a run cut short at the limit stopped (its settings say why). */
export function runOutcome(outcome: ConsumeOutcome): RunOutcome {
  return outcome === "limit" ? "stopped" : outcome;
}

/** A failed run's error as run reports and the app keep it: the stage that failed (if one did) and the message. */
export function runError(error: Error | undefined): { stage: string | null; message: string } | null {
  return error ? { stage: error instanceof PipelineError ? error.stage : null, message: error.message } : null;
}
