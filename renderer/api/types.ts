// Types only: the renderer shares the host's protocol module and nothing else from Node.
export type {
  StudioApi,
  StudioEvent,
  StudioRequests,
  RequestName,
  RequestParams,
  RequestResult,
  ClientMessage,
  ServerMessage,
  OpenedPipeline,
  ExampleInfo,
  ValidationReport,
  FailureView,
  RunEnded,
  MenuCommand,
  OpDescription,
  PipelineFile,
  PipelineFileInput,
  SpecProblem,
  PipelineSnapshot,
  RunList,
  RunSummary,
  RunComparison,
  ComparisonRow,
} from "../../host/protocol.js";
export type { StageSnapshot, QueueSnapshot } from "../../engine/stats/snapshot.js";
export type { PipelineNode, PipelineEdge, BuildSettings, NodeKind } from "../../engine/spec/schema.js";
