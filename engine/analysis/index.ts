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
export { autoTune, tuneBounds, type TuneOptions, type TunePoint, type TuneResult, type TuneTrial } from "./tune.js";
export { cheaperMoves, proposeMoves } from "./tuneMoves.js";
export { searchSettings, type SearchOptions, type TuneProbe } from "./tuneSearch.js";
export {
  DEFAULT_READINESS_TARGET,
  TUNE_OBJECTIVES,
  formatShare,
  goalOutcome,
  parseShare,
  resolveGoal,
  type TuneGoal,
  type TuneGoalOptions,
  type TuneGoalOutcome,
  type TuneObjective,
} from "./tuneGoal.js";
export { tunePipelineFile, type TuneFileOptions, type TunedPipelineFile } from "./tuneFile.js";
export { drainAtConsumerPace } from "./consumerPace.js";
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
