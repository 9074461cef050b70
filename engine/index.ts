/** Pipeline Studio's engine: SPDL's concurrency model in TypeScript. */
export { PipelineBuilder, merge, type AggregateOptions, type StageOptions, type Router, type PathOf } from "./builder.js";
export { Pipeline, type BuildOptions, type ConsumerSpec, type GetItemOptions } from "./pipeline.js";
export { poolTask, remoteTask, type Op, type LoopOp, type PoolTask, type RemoteTask, type OpContext } from "./opTypes.js";
export type { RemoteOptions } from "./remote/remoteExecutor.js";
export type { OutputOrder, PathVariantsOptions, PipeOptions, PipelineConfig, StageConfig, StageKind } from "./config.js";
export {
  ConfigError,
  PipelineError,
  ItemTimeoutError,
  PipelineEndedError,
  StageTimeoutError,
  RemoteDeadlineError,
  RemoteJobLostError,
  RemoteUnavailableError,
  RouteIndexError,
  type StageFailure,
} from "./errors.js";
export type {
  PipelineSnapshot,
  StageSnapshot,
  QueueSnapshot,
  PoolSnapshot,
  RemoteStageSnapshot,
  RemoteWorkerSnapshot,
  ProcessSnapshot,
  PipelineState,
  StageState,
} from "./stats/snapshot.js";
export type { LatencySummary } from "./stats/histogram.js";
export { formatSummary } from "./stats/summary.js";
export { spdlStatsLines } from "./stats/spdlLines.js";
export { sourceOp, stageOp, type CatalogOpOptions } from "./ops/create.js";
export { catalog, describeCatalog, type OpDescription } from "./ops/index.js";
export * as spec from "./spec/index.js";
export * as analysis from "./analysis/index.js";
