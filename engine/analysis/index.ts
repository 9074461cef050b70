/** Analysis over the engine's stats, shared by the CLI and the app. */
export { findBottleneck, formatVerdict, type BottleneckVerdict, type StageCondition, type StageDiagnosis } from "./bottleneck.js";
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
  type RunReportOutcome,
  type RunSettings,
  type RunSummary,
} from "./runReport.js";
export { SAME_WITHIN, compareRuns, type ComparisonRow, type ComparisonSection, type ComparisonUnit } from "./compareRuns.js";
