/**
 * Generator ops: SPDL treats a synchronous generator function as it does an async one (one input,
 * each yielded value an output; `spdl/pipeline/_common/_convert.py`). Here, an op's call may give
 * back a GeneratedValues — the values a generator export yielded in a pool worker, or a generator
 * a user module returned on the event loop — and the stage emits each value in order, as it does
 * for an async generator op.
 */
export class GeneratedValues {
  /** `error`: the generator threw after yielding `values` (on the pool, where values are collected first); `item`: its input. */
  constructor(
    readonly values: Iterable<unknown> | AsyncIterable<unknown>,
    readonly error?: Error,
    readonly item?: unknown,
  ) {}

  /** The values, then the error if the generator threw. */
  iterator(): AsyncIterator<unknown> {
    const { values, error } = this;
    return (async function* replay() {
      yield* values as AsyncIterable<unknown>;
      if (error) throw error;
    })();
  }
}

/** `function*` ops: each yielded value is emitted, as for `async function*`. */
export function isGeneratorFunction(op: unknown): boolean {
  return typeof op === "function" && op.constructor?.name === "GeneratorFunction";
}

/** A generator object (sync or async), as a generator function's call returns. */
export function isGeneratorObject(value: unknown): value is Generator | AsyncGenerator {
  if (typeof value !== "object" || value === null) return false;
  const tag = Object.prototype.toString.call(value);
  return tag === "[object Generator]" || tag === "[object AsyncGenerator]";
}

/** An async iterator over a sync or async iterable; a sync generator's steps run as they are pulled. */
export function asyncIteratorOf(iterable: Iterable<unknown> | AsyncIterable<unknown>): AsyncIterator<unknown> {
  if (typeof (iterable as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function") {
    return (iterable as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  }
  const iterator = (iterable as Iterable<unknown>)[Symbol.iterator]();
  return {
    next: () => new Promise((resolve) => resolve(iterator.next())),
    return: (value?: unknown) => new Promise((resolve) => resolve(iterator.return?.(value) ?? { done: true, value })),
  };
}
