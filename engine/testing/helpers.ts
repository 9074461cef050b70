import type { PipelineError } from "../errors.js";

/** Helpers for the engine's tests (not exported by the package). */

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** What a pipeline delivered, and the PipelineError it ended with, if any. */
export async function outcome(pipeline: AsyncIterable<unknown>): Promise<{ delivered: unknown[]; error: PipelineError | undefined }> {
  const delivered: unknown[] = [];
  try {
    for await (const item of pipeline) delivered.push(item);
    return { delivered, error: undefined };
  } catch (error) {
    return { delivered, error: error as PipelineError };
  }
}

/** Tracks how many calls run at once; wrap an op's body with enter/leave. */
export class ConcurrencyProbe {
  current = 0;
  max = 0;
  enter(): void {
    this.current++;
    if (this.current > this.max) this.max = this.current;
  }
  leave(): void {
    this.current--;
  }
}
