import { setTimeout as sleep } from "node:timers/promises";
import type { ConsumerSpec, Pipeline } from "../pipeline.js";

/**
 * Reads and discards every item of a pipeline, pausing `stepMs` after every `batch` items when
 * there is a consumer (its waits for the next item are what readiness counts), until the
 * pipeline ends or `stopped` aborts a step. A pipeline error is not thrown: whoever measures the
 * pipeline sees it in its state.
 */
export async function drainAtConsumerPace(
  pipeline: Pipeline<unknown>,
  consumer: ConsumerSpec | undefined,
  stopped: AbortSignal,
): Promise<void> {
  let items = 0;
  try {
    for await (const _item of pipeline) {
      items++;
      if (consumer && items % consumer.batch === 0) await sleep(consumer.stepMs, undefined, { signal: stopped });
    }
  } catch {
    // Failed, or stopped mid-step: the pipeline's state says which.
  }
}
