/** Analysis over the engine's stats, shared by the CLI and the app. */
export { findBottleneck, formatVerdict, type BottleneckVerdict, type StageCondition, type StageDiagnosis } from "./bottleneck.js";
