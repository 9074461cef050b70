/** Analysis over the engine's stats, shared by the CLI and the app. */
export { findBottleneck, formatVerdict, type BottleneckVerdict, type StageCondition, type StageDiagnosis } from "./bottleneck.js";
export {
  profilePipeline,
  concurrencyLevels,
  type ProfileOptions,
  type ProfileResult,
  type StageProfile,
  type ProfileStep,
} from "./profile.js";
export { saturationPoint, type ProfileLevel } from "./saturation.js";
export { autoTune, proposeMoves, tuneBounds, type TuneOptions, type TuneResult, type TuneTrial } from "./tune.js";
export { tunePipelineFile, type TuneFileOptions, type TunedPipelineFile } from "./tuneFile.js";
export { clampSettings, fileSettings, withSettings, describeChanges, type TuneSettings } from "./tuneSettings.js";
export type { MeasureWindow } from "./measure.js";
export {
  RUN_REPORT_FORMAT,
  RunReportError,
  buildRunReport,
  describeSettings,
  parseRunReport,
  pipelineNameFromFile,
  runReportSchema,
  summarizeRunReport,
  type RunReport,
  type RunReportInput,
  type RunOutcome,
  type RunSettings,
  type RunSummary,
} from "./runReport.js";
export {
  SAME_WITHIN,
  compareRuns,
  formatComparisonValue,
  type ComparisonRow,
  type ComparisonSection,
  type ComparisonUnit,
} from "./compareRuns.js";
