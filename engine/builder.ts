import type {
  AggregateConfig,
  BranchConfig,
  DisaggregateConfig,
  MergeConfig,
  OutputOrder,
  PathVariantsOptions,
  PipeConfig,
  PipeOptions,
  PipelineConfig,
  RouteConfig,
  SourceConfig,
  StageConfig,
} from "./config.js";
import { DEFAULT_QUEUE_SIZE, DEFAULT_RETRY_DELAY_MS, DEFAULT_SINK_BUFFER_SIZE } from "./config.js";
import { ConfigError } from "./errors.js";
import { isGeneratorFunction } from "./generatedValues.js";
import { isAsyncGeneratorFunction, isPoolTask, isRemoteTask, type Op, type OpContext, type PoolTask, type RemoteTask } from "./opTypes.js";
import { Pipeline, type BuildOptions } from "./pipeline.js";
import { SIZE_BOUNDS } from "./bounds.js";
import { integerWithin, maxFailuresValue, oneOf, timerMs } from "./optionChecks.js";
import { previewJson } from "./util/previewJson.js";

const OUTPUT_ORDERS: readonly OutputOrder[] = ["completion", "input"];
const PIPE_OPTION_KEYS = new Set([
  "name",
  "concurrency",
  "outputOrder",
  "queueSize",
  "maxFailures",
  "timeoutMs",
  "retries",
  "retryDelayMs",
]);

export interface AggregateOptions {
  /** Drop a last batch shorter than `size` (default false: emit it). */
  dropLast?: boolean;
  name?: string;
  queueSize?: number;
}

export interface StageOptions {
  name?: string;
  queueSize?: number;
}

type ElementOf<T> = T extends Iterable<infer E> ? E : never;

/** Picks the path an item takes: its index in `paths`, sync or async (or a pool or remote task returning it). */
export type Router<T> = Op<T, number>;

/** One path of pathVariants: continues the branch it is given, `(branch) => branch.pipe(…)`. */
export type PathOf<T> = (branch: PipelineBuilder<T>) => PipelineBuilder<unknown>;

type PathOutput<F> = F extends (branch: never) => PipelineBuilder<infer O> ? O : never;

const PATH_VARIANTS_OPTION_KEYS = new Set(["name", "queueSize", "maxFailures"]);

/**
 * Describes a pipeline: a source, stages, a sink. Each call validates its options at once and
 * returns the builder typed by the new output, so a stage's input type is checked against the
 * previous stage's output. build() turns the description into a runnable Pipeline.
 */
export class PipelineBuilder<T = never> {
  private source: SourceConfig | MergeConfig | undefined;
  private readonly stages: StageConfig[] = [];
  private sinkBufferSize: number | undefined;
  /** A path of pathVariants: stages only, fed by the router, ending where the paths meet. */
  private isPath = false;

  /** @internal The source-less builder a path of pathVariants continues. */
  static forPath<T>(): PipelineBuilder<T> {
    const path = new PipelineBuilder<T>();
    path.isPath = true;
    return path;
  }

  /**
   * The items to feed: any Iterable or AsyncIterable (arrays, generators, streams). With `repeat`
   * the source is iterated again each time it ends, until the pipeline is stopped (SPDL's
   * `continuous=True`); a pass that yields nothing ends it (a generator object, iterable once, ends after one pass).
   */
  addSource<S>(source: Iterable<S> | AsyncIterable<S>, options: { name?: string; repeat?: boolean } = {}): PipelineBuilder<S> {
    if (this.isPath) throw new ConfigError("addSource: a path of pathVariants has no source; the router feeds it");
    if (this.source) throw new ConfigError("addSource: this pipeline already has a source (use merge() to combine several)");
    const candidate = source as Partial<Iterable<S> & AsyncIterable<S>> | null;
    if (
      candidate === null ||
      candidate === undefined ||
      (typeof candidate[Symbol.iterator] !== "function" && typeof candidate[Symbol.asyncIterator] !== "function")
    ) {
      throw new ConfigError(
        `addSource: the source must be an Iterable or AsyncIterable, got ${candidate === null ? "null" : typeof candidate}`,
      );
    }
    if (options.repeat !== undefined && typeof options.repeat !== "boolean")
      throw new ConfigError(`addSource: repeat must be true or false, got ${String(options.repeat)}`);
    const repeat = options.repeat ?? false;
    this.source = {
      kind: "source",
      name: nameOption("addSource", options.name) ?? "source",
      iterable: repeat ? repeating(source) : source,
      repeat,
    };
    return this as unknown as PipelineBuilder<S>;
  }

  /** An async generator op: one input, many outputs, each yield emitted at once. */
  pipe<O>(op: (item: T, context: OpContext) => AsyncIterable<O>, options?: PipeOptions): PipelineBuilder<O>;
  /** An async op (runs on the event loop) or a pool task (runs on the worker pool). Returning undefined drops the item. */
  pipe<O>(
    op: ((item: T, context: OpContext) => PromiseLike<O | undefined>) | PoolTask<T, O> | RemoteTask<T, O>,
    options?: PipeOptions,
  ): PipelineBuilder<Exclude<O, undefined>>;
  /** A plain synchronous op: runs inline on the event loop and blocks it meanwhile (the stats flag it). */
  pipe<O>(op: (item: T, context: OpContext) => O, options?: PipeOptions): PipelineBuilder<Exclude<O, undefined>>;
  /** Any op, as typed by stageOp() (a catalog op by name). */
  pipe<O>(op: Op<T, O>, options?: PipeOptions): PipelineBuilder<O>;
  pipe(op: unknown, options: PipeOptions = {}): PipelineBuilder<unknown> {
    this.requireOpen("pipe");
    if (typeof op !== "function" && !isPoolTask(op) && !isRemoteTask(op)) {
      throw new ConfigError(`pipe: op must be a function, a poolTask(...) or a remoteTask(...), got ${op === null ? "null" : typeof op}`);
    }
    if (typeof options !== "object" || options === null) throw new ConfigError("pipe: options must be an object");
    const unknownKeys = Object.keys(options).filter((key) => !PIPE_OPTION_KEYS.has(key));
    if (unknownKeys.length > 0)
      throw new ConfigError(
        `pipe: unknown option ${unknownKeys.map((k) => `'${k}'`).join(", ")} (known: ${[...PIPE_OPTION_KEYS].join(", ")})`,
      );
    const name = nameOption("pipe", options.name) ?? defaultOpName(op);
    const where = `pipe('${name}')`;
    const config: PipeConfig = {
      kind: "pipe",
      name,
      op: op as PipeConfig["op"],
      concurrency: integerWithin(`${where}: concurrency`, options.concurrency ?? 1, SIZE_BOUNDS.concurrency),
      outputOrder: oneOf(`${where}: outputOrder`, options.outputOrder ?? "completion", OUTPUT_ORDERS),
      queueSize: integerWithin(`${where}: queueSize`, options.queueSize ?? DEFAULT_QUEUE_SIZE, SIZE_BOUNDS.queueSize),
      maxFailures: options.maxFailures === undefined ? undefined : maxFailuresValue(`${where}: maxFailures`, options.maxFailures),
      timeoutMs: options.timeoutMs === undefined ? undefined : timerMs(`${where}: timeoutMs`, options.timeoutMs),
      retries: integerWithin(`${where}: retries`, options.retries ?? 0, SIZE_BOUNDS.retries),
      retryDelayMs: options.retryDelayMs === undefined ? DEFAULT_RETRY_DELAY_MS : timerMs(`${where}: retryDelayMs`, options.retryDelayMs),
    };
    if ((isAsyncGeneratorFunction(op) || isGeneratorFunction(op)) && (config.retries > 0 || config.timeoutMs !== undefined)) {
      throw new ConfigError(
        `${where}: retries and timeoutMs are not supported for generator ops (a retry would repeat items already emitted)`,
      );
    }
    this.stages.push(config);
    return this as unknown as PipelineBuilder<unknown>;
  }

  /** Groups items into arrays of `size` (the last one shorter unless dropLast). */
  aggregate(size: number, options: AggregateOptions = {}): PipelineBuilder<T[]> {
    this.requireOpen("aggregate");
    const config: AggregateConfig = {
      kind: "aggregate",
      name: nameOption("aggregate", options.name) ?? "aggregate",
      size: integerWithin("aggregate: size", size, SIZE_BOUNDS.aggregateSize),
      dropLast: options.dropLast ?? false,
      queueSize: integerWithin("aggregate: queueSize", options.queueSize ?? DEFAULT_QUEUE_SIZE, SIZE_BOUNDS.queueSize),
    };
    this.stages.push(config);
    return this as unknown as PipelineBuilder<T[]>;
  }

  /** Emits each element of each incoming iterable (undoes aggregate). */
  disaggregate(options: StageOptions = {}): PipelineBuilder<ElementOf<T>> {
    this.requireOpen("disaggregate");
    const config: DisaggregateConfig = {
      kind: "disaggregate",
      name: nameOption("disaggregate", options.name) ?? "disaggregate",
      queueSize: integerWithin("disaggregate: queueSize", options.queueSize ?? DEFAULT_QUEUE_SIZE, SIZE_BOUNDS.queueSize),
    };
    this.stages.push(config);
    return this as unknown as PipelineBuilder<ElementOf<T>>;
  }

  /**
   * SPDL's path_variants: `router(item)` returns the index of the path the item takes (sync or
   * async); each path continues a source-less branch, `(branch) => branch.pipe(…)…`, with any
   * stages (pool, remote, aggregate, nested pathVariants); an empty path `(branch) => branch`
   * passes items through. The paths meet again after it in arrival order. An item the router
   * throws on, or sends to a path that does not exist, fails (logged under the router's name and
   * counted against the failure budget). A full path holds the router, as in SPDL.
   * `outputOrder: "input"` across paths is not offered (SPDL does not); set it on a stage within a path.
   */
  pathVariants<P extends readonly PathOf<T>[]>(
    router: Router<T>,
    paths: P,
    options: PathVariantsOptions = {},
  ): PipelineBuilder<PathOutput<P[number]>> {
    this.requireOpen("pathVariants");
    if (typeof router !== "function" && !isPoolTask(router) && !isRemoteTask(router)) {
      throw new ConfigError(
        `pathVariants: router must be a function returning a path index, a poolTask(...) or a remoteTask(...), got ${describeValue(router)}`,
      );
    }
    if (isAsyncGeneratorFunction(router) || isGeneratorFunction(router))
      throw new ConfigError("pathVariants: router must return a path index, not generate values");
    if (typeof options !== "object" || options === null) throw new ConfigError("pathVariants: options must be an object");
    if ((options as { outputOrder?: unknown }).outputOrder !== undefined) {
      throw new ConfigError(
        'pathVariants: outputOrder is not offered across paths (as in SPDL, the paths meet again in arrival order); set outputOrder: "input" on a stage within a path',
      );
    }
    const unknownKeys = Object.keys(options).filter((key) => !PATH_VARIANTS_OPTION_KEYS.has(key));
    if (unknownKeys.length > 0)
      throw new ConfigError(
        `pathVariants: unknown option ${unknownKeys.map((k) => `'${k}'`).join(", ")} (known: ${[...PATH_VARIANTS_OPTION_KEYS].join(", ")})`,
      );
    const name = nameOption("pathVariants", options.name) ?? "route";
    const where = `pathVariants('${name}')`;
    if (!Array.isArray(paths) || paths.length === 0)
      throw new ConfigError(
        `${where}: paths must be a non-empty array of functions (branch) => branch.pipe(…), got ${describeValue(paths)}`,
      );
    const config: RouteConfig = {
      kind: "route",
      name,
      router: router as RouteConfig["router"],
      paths: paths.map((path: unknown, index) => {
        if (typeof path !== "function")
          throw new ConfigError(`${where}: path ${index} must be a function (branch) => branch.pipe(…), got ${describeValue(path)}`);
        const branch = PipelineBuilder.forPath<T>();
        const continued: unknown = (path as PathOf<T>)(branch);
        if (continued !== branch)
          throw new ConfigError(
            `${where}: path ${index} must return the branch it was given, continued: (branch) => branch.pipe(…); got ${describeValue(continued)}`,
          );
        return [...branch.stages];
      }),
      queueSize: integerWithin(`${where}: queueSize`, options.queueSize ?? DEFAULT_QUEUE_SIZE, SIZE_BOUNDS.queueSize),
      maxFailures: options.maxFailures === undefined ? undefined : maxFailuresValue(`${where}: maxFailures`, options.maxFailures),
    };
    this.stages.push(config);
    return this as unknown as PipelineBuilder<PathOutput<P[number]>>;
  }

  /** Ends the pipeline; `bufferSize` (default 3, as SPDL's) bounds the queue of items ready for the consumer (0: unbounded, as SPDL's add_sink(0)). */
  addSink(bufferSize = DEFAULT_SINK_BUFFER_SIZE): PipelineBuilder<T> {
    if (this.isPath) throw new ConfigError("addSink: a path of pathVariants ends where the paths meet; call addSink after pathVariants");
    this.requireOpen("addSink");
    this.sinkBufferSize = integerWithin("addSink: bufferSize", bufferSize, SIZE_BOUNDS.sinkBufferSize);
    return this;
  }

  /** The declarative description (names made unique), as build() runs it. */
  describe(): PipelineConfig {
    if (this.isPath) throw new ConfigError("build: a path of pathVariants is not a pipeline; build the pipeline it belongs to");
    if (!this.source) throw new ConfigError("build: the pipeline has no source (call addSource first)");
    if (this.sinkBufferSize === undefined) throw new ConfigError("build: the pipeline has no sink (call addSink before build)");
    const config: PipelineConfig = { ...this.branch(), sinkBufferSize: this.sinkBufferSize };
    return uniqueNames(config);
  }

  build(options: BuildOptions = {}): Pipeline<T> {
    return new Pipeline<T>(this.describe(), options);
  }

  /** @internal Used by merge(). */
  branch(): BranchConfig {
    if (this.isPath) throw new ConfigError("merge: a path of pathVariants cannot be merged; its paths meet again by themselves");
    if (!this.source) throw new ConfigError("merge: every branch needs a source");
    return { source: this.source, stages: [...this.stages] };
  }

  /** @internal Used by merge(). */
  get hasSink(): boolean {
    return this.sinkBufferSize !== undefined;
  }

  /** @internal Used by merge(). */
  setMergedSource(merged: MergeConfig): void {
    this.source = merged;
  }

  private requireOpen(method: string): void {
    if (this.isPath) return;
    if (!this.source) throw new ConfigError(`${method}: add a source first (addSource or merge)`);
    if (this.sinkBufferSize !== undefined) throw new ConfigError(`${method}: the pipeline already has a sink; stages go before addSink`);
  }
}

type ItemOf<B> = B extends PipelineBuilder<infer T> ? T : never;

/**
 * Fans branches (each a builder with a source and stages, no sink) into one stream, in arrival
 * order; continue it like any builder: `merge(a, b).pipe(...).addSink(2).build()`. One branch is
 * allowed, as in SPDL: it passes its items through.
 */
export function merge<B extends PipelineBuilder<unknown>[]>(...branches: B): PipelineBuilder<ItemOf<B[number]>> {
  if (branches.length < 1) throw new ConfigError("merge: needs at least 1 branch, got 0");
  branches.forEach((branch, index) => {
    if (!(branch instanceof PipelineBuilder)) throw new ConfigError(`merge: branch ${index + 1} is not a PipelineBuilder`);
    if (branch.hasSink) throw new ConfigError(`merge: branch ${index + 1} already has a sink; branches end before addSink`);
  });
  const repeating = new Set(branches.map((branch) => repeats(branch.branch())));
  if (repeating.size > 1) throw new ConfigError("merge: either every branch's source repeats or none does (as SPDL requires)");
  const merged = new PipelineBuilder<ItemOf<B[number]>>();
  merged.setMergedSource({ kind: "merge", branches: branches.map((branch) => branch.branch()) });
  return merged;
}

function nameOption(method: string, name: unknown): string | undefined {
  if (name === undefined) return undefined;
  if (typeof name !== "string" || name.trim().length === 0)
    throw new ConfigError(`${method}: name must be a non-empty string, got ${String(name)}`);
  return name.trim();
}

function defaultOpName(op: unknown): string {
  if (isPoolTask(op)) return op.exportName;
  if (isRemoteTask(op)) return op.code.kind === "module" ? op.code.exportName : op.code.op;
  const name = (op as { name?: string }).name;
  return name && name.length > 0 && name !== "anonymous" ? name.replace(/^bound /, "") : "stage";
}

/**
 * Renames duplicates "name-2", "name-3", … in pipeline order (merged branches first, then the
 * stages after the merge), on a stack of its own: merges may nest thousands deep.
 */
function uniqueNames(config: PipelineConfig): PipelineConfig {
  const taken = new Set<string>();
  const unique = (name: string): string => {
    let candidate = name;
    for (let n = 2; taken.has(candidate); n++) candidate = `${name}-${n}`;
    taken.add(candidate);
    return candidate;
  };
  interface Frame {
    branch: BranchConfig;
    renamedBranches: BranchConfig[];
    parent: Frame | undefined;
  }
  const stack: Frame[] = [{ branch: config, renamedBranches: [], parent: undefined }];
  let renamedTop: BranchConfig | undefined;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const source = frame.branch.source;
    // On top again only once its last child is done: the next child is the next unrenamed branch.
    if (source.kind === "merge" && frame.renamedBranches.length < source.branches.length) {
      stack.push({ branch: source.branches[frame.renamedBranches.length], renamedBranches: [], parent: frame });
      continue;
    }
    stack.pop();
    const renamedSource: SourceConfig | MergeConfig =
      source.kind === "source" ? { ...source, name: unique(source.name) } : { kind: "merge", branches: frame.renamedBranches };
    const renamed = { source: renamedSource, stages: renameStages(frame.branch.stages, unique) };
    if (frame.parent) frame.parent.renamedBranches.push(renamed);
    else renamedTop = renamed;
  }
  return { ...renamedTop!, sinkBufferSize: config.sinkBufferSize };
}

/** A chain's stages renamed in order; a route before the stages of its paths, path by path. */
function renameStages(stages: readonly StageConfig[], unique: (name: string) => string): StageConfig[] {
  return stages.map((stage) =>
    stage.kind === "route"
      ? { ...stage, name: unique(stage.name), paths: stage.paths.map((path) => renameStages(path, unique)) }
      : { ...stage, name: unique(stage.name) },
  );
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "function") return "a function";
  return `${previewJson(value)} (${Array.isArray(value) ? "an array" : `a ${typeof value}`})`;
}

/** Iterates `source` again each time it ends; a pass that yields nothing ends it, so an empty source cannot spin. */
function repeating<S>(source: Iterable<S> | AsyncIterable<S>): Iterable<S> | AsyncIterable<S> {
  if (typeof (source as Partial<AsyncIterable<S>>)[Symbol.asyncIterator] === "function") {
    return {
      async *[Symbol.asyncIterator]() {
        for (let yielded = 1; yielded > 0;) {
          yielded = 0;
          for await (const item of source as AsyncIterable<S>) {
            yielded++;
            yield item;
          }
        }
      },
    };
  }
  return {
    *[Symbol.iterator]() {
      for (let yielded = 1; yielded > 0;) {
        yielded = 0;
        for (const item of source as Iterable<S>) {
          yielded++;
          yield item;
        }
      }
    },
  };
}

/** Whether a branch's sources repeat (merged branches agree, so the first one's says). */
function repeats(branch: BranchConfig): boolean {
  let source = branch.source;
  while (source.kind === "merge") source = source.branches[0].source;
  return source.repeat;
}
