import { availableParallelism } from "node:os";
import { basename } from "node:path";
import {
  describeChanges,
  formatShare,
  formatVerdict,
  tunePipelineFile,
  type TuneObjective,
  type TunePoint,
  type TuneResult,
  type TuneTrial,
  withSettings,
} from "../../engine/analysis/index.js";
import { savePipelineFile, type PipelineFile } from "../../engine/spec/index.js";
import { formatElapsed } from "../../engine/format.js";
import { withConsumer, type ConsumerOptions } from "./consumerOption.js";
import { ExitCode, UsageError } from "./exitCodes.js";
import { abortOnInterrupt, reportEndedEarly, type InterruptSource } from "./interrupts.js";
import { loadRunnableFile } from "./loadFile.js";
import { Output, plainProblems, type CliIo } from "./output.js";

export interface TuneCommandOptions extends ConsumerOptions {
  budgetThreads?: number;
  maxConcurrency: number;
  timeLimit: number;
  /** Default: readiness when the sink has a consumer, else throughput. */
  objective?: TuneObjective;
  /** The readiness objective's target (0–1; default 0.99). */
  readiness?: number;
  /** The most CPU the settings may use, as a share of the machine (0–1). */
  cpuBudget?: number;
  write: boolean;
  json: boolean;
  progress: boolean;
}

export interface TuneCommandDependencies {
  io: CliIo;
  interrupts: InterruptSource;
  exitNow: (code: ExitCode) => void;
}

/** The one document `tune --json` prints. */
export interface TuneReport {
  file: string;
  outcome: "tuned" | "invalid" | "failed" | "stopped";
  budgetThreads: number;
  result: Omit<TuneResult, "before" | "after"> | null;
  before: Omit<TunePoint, "verdict"> | null;
  after: Omit<TunePoint, "verdict"> | null;
  bottleneck: { stage: string | null; reason: string; line: string } | null;
  /** Where the settings were saved (--write), or null. */
  written: string | null;
  problems: { path: string; message: string }[];
  error: string | null;
}

/** `pipeline-studio tune FILE`: auto-tune on a live run, print the settings and the verdict, save only with --write. */
export async function tuneCommand(file: string, options: TuneCommandOptions, deps: TuneCommandDependencies): Promise<ExitCode> {
  const output = new Output(deps.io, options.json);
  const budgetThreads = options.budgetThreads ?? availableParallelism();
  const report = (fields: Partial<TuneReport> & Pick<TuneReport, "file" | "outcome">): TuneReport => ({
    budgetThreads,
    result: null,
    before: null,
    after: null,
    bottleneck: null,
    written: null,
    problems: [],
    error: null,
    ...fields,
  });
  const loaded = await loadRunnableFile(file, output, (path, problems) =>
    report({ file: path, outcome: "invalid", problems: plainProblems(problems) }),
  );
  if (!loaded) return ExitCode.failure;
  let spec: PipelineFile;
  try {
    spec = withConsumer(loaded.spec, options, []);
    checkGoalOptions(spec, options);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.notice(`error: ${error.message}`);
    return ExitCode.usage;
  }

  const { signal, unsubscribe } = abortOnInterrupt(deps.interrupts, output, deps.exitNow);
  try {
    if (options.progress) {
      output.notice(
        `Tuning ${basename(loaded.path)} on a live run (sources repeat): up to ${budgetThreads} threads, concurrency up to ${options.maxConcurrency}, at most ${options.timeLimit} s…`,
      );
    }
    const tuned = await tunePipelineFile(spec, {
      baseDir: loaded.baseDir,
      // As for run: PIPELINE_STUDIO_REDIS names the remote stages' Redis over the file's.
      ...(process.env.PIPELINE_STUDIO_REDIS ? { remote: { redis: process.env.PIPELINE_STUDIO_REDIS } } : {}),
      budgetThreads,
      maxConcurrency: options.maxConcurrency,
      timeLimitMs: options.timeLimit * 1000,
      objective: options.objective,
      readiness: options.readiness,
      cpuBudget: options.cpuBudget,
      signal,
      onTrial: options.progress ? (trial) => output.notice(trialLine(trial)) : undefined,
    });
    if (tuned.interruptedBy === "pipeline-failed") {
      // Settings from a search cut short by a failure are not worth saving.
      return reportEndedEarly(
        output,
        new Error(`auto-tune: ${tuned.stoppedBecause}; the file is unchanged`),
        signal,
        "",
        (outcome, message) => report({ file: loaded.path, outcome, error: message }),
      );
    }
    const changed = describeChanges(tuned.before.settings, tuned.after.settings) !== "no change";
    const written = options.write && changed ? await savePipelineFile(loaded.path, withSettings(loaded.spec, tuned.after.settings)) : null;
    const { before, after, tuned: _file, ...result } = tuned;
    if (options.json) {
      output.document(
        report({
          file: loaded.path,
          outcome: "tuned",
          result,
          before: withoutVerdict(before),
          after: withoutVerdict(after),
          bottleneck: { stage: after.verdict.stage, reason: after.verdict.reason, line: formatVerdict(after.verdict) },
          written,
        }),
      );
    } else {
      output.result(formatTune(tuned, budgetThreads));
      if (written) output.notice(`Saved these settings to ${written}`);
      else if (options.write) output.notice("Nothing to save: the file's settings were already the best found.");
      else if (changed) output.notice("The file is unchanged; add --write to save these settings.");
    }
    return ExitCode.success;
  } catch (error) {
    return reportEndedEarly(output, error, signal, "tuning stopped before it finished; the file is unchanged", (outcome, message) =>
      report({ file: loaded.path, outcome, error: message }),
    );
  } finally {
    unsubscribe();
  }
}

/** The goal's flags against the file: readiness needs a consumer, and a target goes with the readiness objective. */
function checkGoalOptions(spec: PipelineFile, options: TuneCommandOptions): void {
  const hasConsumer = spec.nodes.some((node) => node.kind === "sink" && node.consumer !== null);
  if (options.objective === "throughput" && options.readiness !== undefined)
    throw new UsageError("--readiness goes with --objective readiness, not throughput");
  if (!hasConsumer && (options.objective === "readiness" || options.readiness !== undefined))
    throw new UsageError(
      `${options.objective === "readiness" ? "--objective readiness" : "--readiness"} needs a consumer at the sink: give the file's sink a consumer ({ "stepMs": …, "batch": … }) or add --consumer-step-ms MS`,
    );
}

/** One progress line per measurement: "  try fetch concurrency 1 → 2: 98.5 items/s, readiness 97.1 %, CPU 3.2 % (kept)". */
function trialLine(trial: TuneTrial): string {
  const what = trial.kind === "trial" ? `try ${trial.change}` : trial.kind === "baseline" ? "the file's settings" : "final";
  const kept = trial.kind === "trial" && trial.kept ? " (kept)" : "";
  return `  ${what}: ${trial.deliveredPerSecond} items/s${readinessAndCpu(trial, ", ")}${kept}`;
}

/** ", readiness 99.6 %, CPU 18.0 %" (readiness only with a consumer). */
function readinessAndCpu(figures: { readiness: number | null; cpu: number }, separator: string): string {
  const readiness = figures.readiness === null ? "" : `${separator}readiness ${formatShare(figures.readiness)}`;
  return `${readiness}${separator}CPU ${formatShare(figures.cpu)}`;
}

function withoutVerdict({ verdict: _verdict, ...point }: TunePoint): Omit<TunePoint, "verdict"> {
  return point;
}

/** Before and after, the settings found (changed ones marked), the goal met or not and its cost, why it stopped, the verdict line. */
export function formatTune(result: TuneResult, budgetThreads: number): string {
  const { before, after, goal } = result;
  const target = goal.readinessTarget === null ? "throughput" : `readiness ≥ ${formatShare(goal.readinessTarget)}`;
  const cpuBudget = goal.cpuBudget === null ? "" : `, CPU budget ${formatShare(goal.cpuBudget)}`;
  const rows: Array<[string, string, string]> = [["numThreads", String(before.settings.numThreads), String(after.settings.numThreads)]];
  for (const stage of Object.keys(after.settings.concurrency))
    rows.push([`${stage}.concurrency`, String(before.settings.concurrency[stage]), String(after.settings.concurrency[stage])]);
  // Remote stages' worker threads are the workers', not the file's: shown, never written.
  for (const [stage, threads] of Object.entries(after.settings.workerThreads ?? {}))
    rows.push([`${stage} worker threads`, String(before.settings.workerThreads?.[stage] ?? threads), String(threads)]);
  const width = Math.max(...rows.map(([name]) => name.length));
  return [
    `Auto-tune: ${formatElapsed(result.elapsedMs)}, objective ${target}, thread budget ${budgetThreads}${cpuBudget}`,
    `  before  ${String(before.deliveredPerSecond).padStart(9)} items/s${readinessAndCpu(before, "  ")}`,
    `  after   ${String(after.deliveredPerSecond).padStart(9)} items/s  (${result.speedup === null ? "no items before" : `${result.speedup}×`})${readinessAndCpu(after, "  ")}`,
    "Settings found:",
    ...rows.map(([name, from, to]) => `  ${name.padEnd(width)}  ${from === to ? to : `${from} → ${to}`}`),
    goal.summary,
    `Stopped: ${result.stoppedBecause}`,
    ...(result.limitedBy ? [`Note: ${result.limitedBy}`] : []),
    formatVerdict(after.verdict),
  ].join("\n");
}
