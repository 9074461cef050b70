/**
 * One chain of async stages, expressed in this engine and in each peer library, so the no-op and
 * fidelity suites compare the same work: the same source, the same functions, the same
 * concurrency per stage, every item handed to the same sink. Each library gets the stage function
 * itself, not a wrapper, so no contender pays for an extra call per item.
 */
import { Readable } from "node:stream";
import { pMapIterable } from "p-map";
import { concatMap, from, mergeMap, Observable } from "rxjs";
import { PipelineBuilder, type BuildOptions, type OutputOrder, type PipelineSnapshot } from "../engine/index.js";

export interface ChainStage<T> {
  fn: (item: T) => Promise<T>;
  concurrency: number;
}

/** Called once per delivered item; suites count or timestamp there. */
export type Sink<T> = (item: T) => void;

/** Runs the chain on `source` (an Iterable, read once) and resolves when the last item has been sunk. */
export type Chain<T> = (source: Iterable<T>, stages: readonly ChainStage<T>[], sink: Sink<T>) => Promise<void>;

/** The engine; resolves with the final stats snapshot (fidelity reads the measured latencies there). */
export async function runEngine<T>(
  source: Iterable<T>,
  stages: readonly ChainStage<T>[],
  sink: Sink<T>,
  outputOrder: OutputOrder,
  buildOptions: BuildOptions = {},
): Promise<PipelineSnapshot> {
  let builder = new PipelineBuilder().addSource(source) as PipelineBuilder<T>;
  for (const stage of stages) {
    builder = builder.pipe(stage.fn, { concurrency: stage.concurrency, outputOrder }) as PipelineBuilder<T>;
  }
  const pipeline = builder.addSink(2).build(buildOptions);
  for await (const item of pipeline) sink(item);
  return pipeline.stats();
}

export function engineChain<T>(outputOrder: OutputOrder, buildOptions: BuildOptions = {}): Chain<T> {
  return async (source, stages, sink) => {
    await runEngine(source, stages, sink, outputOrder, buildOptions);
  };
}

/** p-map's pMapIterable, one per stage, each reading the previous one. */
export function pMapChain<T>(preserveOrder: boolean): Chain<T> {
  return async (source, stages, sink) => {
    let iterable: AsyncIterable<T> | Iterable<T> = source;
    for (const stage of stages) iterable = pMapIterable(iterable, stage.fn, { concurrency: stage.concurrency, preserveOrder });
    for await (const item of iterable) sink(item);
  };
}

/** Node's stream `Readable.from(source).map(fn, { concurrency })`, chained; always input order. */
export const readableMapChain = async <T>(source: Iterable<T>, stages: readonly ChainStage<T>[], sink: Sink<T>): Promise<void> => {
  let stream: Readable = Readable.from(source);
  for (const stage of stages) stream = stream.map(stage.fn, { concurrency: stage.concurrency });
  for await (const item of stream) sink(item as T);
};

/**
 * RxJS has no pull: `from(syncIterable)` pushes the whole source at once into mergeMap's buffer,
 * whose Array#shift is O(n) on a large array — 1M items took 96 s that way on this machine
 * (200k: 4.1 s). Reading the same generator through an async iterator paces it by microtasks,
 * the way `for await` does for the floor; that is the fairest feed RxJS gets.
 */
async function* paced<T>(source: Iterable<T>): AsyncGenerator<T> {
  for (const item of source) yield item;
}

function drainObservable<T>(observable: Observable<T>, sink: Sink<T>): Promise<void> {
  return new Promise((resolve, reject) => {
    observable.subscribe({ next: sink, error: reject, complete: resolve });
  });
}

/** RxJS `mergeMap(fn, concurrency)` per stage: completion order. */
export const rxMergeMapChain = <T>(source: Iterable<T>, stages: readonly ChainStage<T>[], sink: Sink<T>): Promise<void> => {
  let observable: Observable<T> = from(paced(source));
  for (const stage of stages) observable = observable.pipe(mergeMap(stage.fn, stage.concurrency));
  return drainObservable(observable, sink);
};

/** RxJS `concatMap(fn)` per stage: input order, one call at a time (RxJS has no ordered concurrent map). */
export const rxConcatMapChain = <T>(source: Iterable<T>, stages: readonly ChainStage<T>[], sink: Sink<T>): Promise<void> => {
  if (stages.some((stage) => stage.concurrency !== 1)) throw new Error("concatMap runs one call at a time; use it only at concurrency 1");
  let observable: Observable<T> = from(paced(source));
  for (const stage of stages) observable = observable.pipe(concatMap(stage.fn));
  return drainObservable(observable, sink);
};
