import { deserialize, serialize } from "node:v8";
import { ownedArrayBuffers } from "../pool/transfer.js";

/**
 * A stage profiled alone is fed the same few hundred inputs over and over. Items holding
 * ArrayBuffers of their own travel to pool threads by transfer (the sender's copy is emptied),
 * so each replay gets a fresh copy of such an item; v8's serializer keeps Buffers Buffers.
 */
export function* replay<T>(sample: readonly T[]): Generator<T> {
  if (sample.length === 0) return;
  const needsCopy = sample.map((item) => ownedArrayBuffers(item).length > 0);
  for (let index = 0; ; index = (index + 1) % sample.length) {
    yield needsCopy[index] ? (deserialize(serialize(sample[index])) as T) : sample[index];
  }
}

/** Up to `size` items from an (async) iterable, giving up after `timeLimitMs`. */
export async function takeSample(
  items: Iterable<unknown> | AsyncIterable<unknown>,
  size: number,
  timeLimitMs: number,
  signal?: AbortSignal,
): Promise<unknown[]> {
  const sample: unknown[] = [];
  const deadline = Date.now() + timeLimitMs;
  for await (const item of items as AsyncIterable<unknown>) {
    signal?.throwIfAborted();
    sample.push(item);
    if (sample.length >= size || Date.now() >= deadline) break;
  }
  return sample;
}

/** Interleaves several inputs the way a merge would deliver them when all keep up. */
export function interleave(samples: readonly unknown[][]): unknown[] {
  const longest = Math.max(0, ...samples.map((sample) => sample.length));
  const merged: unknown[] = [];
  for (let index = 0; index < longest; index++) for (const sample of samples) if (index < sample.length) merged.push(sample[index]);
  return merged;
}

/** What an aggregate stage makes of a sample: batches of `size`. */
export function batchSample(sample: readonly unknown[], size: number, dropLast: boolean): unknown[][] {
  const batches: unknown[][] = [];
  for (let index = 0; index < sample.length; index += size) batches.push(sample.slice(index, index + size));
  if (dropLast && batches.length > 0 && batches[batches.length - 1].length < size) batches.pop();
  return batches;
}

/** What a disaggregate stage makes of a sample: the elements of each batch (it drops non-iterables as failures). */
export function unbatchSample(sample: readonly unknown[]): unknown[] {
  return sample.flatMap((item) =>
    item != null && typeof (item as Partial<Iterable<unknown>>)[Symbol.iterator] === "function" ? [...(item as Iterable<unknown>)] : [],
  );
}
