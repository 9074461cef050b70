import type { Op } from "./opTypes.js";

export type OutputOrder = "completion" | "input";
export type StageKind = "source" | "pipe" | "aggregate" | "disaggregate" | "route";

/** Per-stage options of pipe(). */
export interface PipeOptions {
  /** Unique in the pipeline; default: the function's (or pool export's) name. Duplicates get "-2", "-3". */
  name?: string;
  /** Calls of the op kept in flight at once (default 1). Live: Pipeline.setConcurrency. */
  concurrency?: number;
  /** "completion" (default): results leave as they finish. "input": in source order, still `concurrency` at once. */
  outputOrder?: OutputOrder;
  /** Capacity of the queue feeding this stage (default 2, as in SPDL). */
  queueSize?: number;
  /** This stage's own failure budget (counting only its calls): an integer count, or a rate judged from its 100th call. Default: build()'s, over all stages. */
  maxFailures?: number;
  /** A call running longer fails with StageTimeoutError (and its signal aborts). */
  timeoutMs?: number;
  /** Retries of a failing call before it counts as a failure (default 0). */
  retries?: number;
  /** First retry delay; doubles each retry, with ±20% jitter (default 100 ms). */
  retryDelayMs?: number;
}

export interface SourceConfig {
  kind: "source";
  name: string;
  iterable: Iterable<unknown> | AsyncIterable<unknown>;
  /** Iterate the source again each time it ends, until stopped (SPDL's `continuous=True`). */
  repeat: boolean;
}

export interface PipeConfig {
  kind: "pipe";
  name: string;
  op: Op<unknown, unknown>;
  concurrency: number;
  outputOrder: OutputOrder;
  queueSize: number;
  maxFailures: number | undefined;
  timeoutMs: number | undefined;
  retries: number;
  retryDelayMs: number;
}

export interface AggregateConfig {
  kind: "aggregate";
  name: string;
  size: number;
  dropLast: boolean;
  queueSize: number;
}

export interface DisaggregateConfig {
  kind: "disaggregate";
  name: string;
  queueSize: number;
}

/**
 * SPDL's path_variants: the router sends each item down one of several paths (chains of stages);
 * the paths meet again in the queue after the route, in arrival order. An empty path passes its
 * items straight to where the paths meet.
 */
export interface RouteConfig {
  kind: "route";
  name: string;
  /** Returns the index of the path an item takes (sync, async, or on the pool or remote workers). */
  router: Op<unknown, unknown>;
  paths: StageConfig[][];
  queueSize: number;
  maxFailures: number | undefined;
}

/** Options of pathVariants(). */
export interface PathVariantsOptions {
  /** The router's stage name (default "route"). */
  name?: string;
  /** Capacity of the queue feeding the router (default 2). */
  queueSize?: number;
  /** The router's own failure budget (items it could not route), as a pipe stage's. */
  maxFailures?: number;
}

export type StageConfig = PipeConfig | AggregateConfig | DisaggregateConfig | RouteConfig;

/** Several branches (each a source and its stages) whose outputs interleave in arrival order. */
export interface MergeConfig {
  kind: "merge";
  branches: BranchConfig[];
}

export interface BranchConfig {
  source: SourceConfig | MergeConfig;
  stages: StageConfig[];
}

/** What the builder produces: a declarative description; Pipeline turns it into running tasks. */
export interface PipelineConfig extends BranchConfig {
  sinkBufferSize: number;
}

export const DEFAULT_QUEUE_SIZE = 2;
/** addSink()'s buffer when none is given, as SPDL's add_sink(). */
export const DEFAULT_SINK_BUFFER_SIZE = 3;
export const DEFAULT_RETRY_DELAY_MS = 100;
