/** The pipeline file format: schema, checks, compile to a PipelineBuilder, load and save. */
export {
  FORMAT,
  NODE_KINDS,
  pipelineFileSchema,
  type PipelineFile,
  type PipelineFileInput,
  type PipelineNode,
  type PipelineEdge,
  type CanvasNote,
  type CanvasGroup,
  type BuildSettings,
  type NodeKind,
} from "./schema.js";
export { SpecError, formatProblem, type SpecProblem } from "./problems.js";
export { parsePipelineFile, parsePipelineFileOrThrow } from "./parse.js";
export { checkRunnable, validatePipelineFile, type RunnableCheckOptions, type ValidationResult } from "./validateFile.js";
export { compilePipeline, createNodeOp, createNodeSource, nodePipeOptions, type CompileOptions, type CompiledPipeline } from "./compile.js";
export {
  inspectPipelineBytes,
  inspectPipelineFile,
  loadPipelineFile,
  savePipelineFile,
  serializePipelineFile,
  type InspectedPipelineBytes,
  type InspectedPipelineFile,
  type LoadedPipelineFile,
} from "./file.js";
