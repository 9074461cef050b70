import { availableParallelism } from "node:os";
import { basename } from "node:path";
import { describeChanges, formatVerdict, tunePipelineFile, type TuneResult, type TuneSettings } from "../../engine/analysis/index.js";
import { savePipelineFile } from "../../engine/spec/index.js";
import { formatElapsed } from "../../engine/format.js";
import { ExitCode } from "./exitCodes.js";
import { abortOnInterrupt, reportEndedEarly, type InterruptSource } from "./interrupts.js";
import { loadRunnableFile } from "./loadFile.js";
import { Output, plainProblems, type CliIo } from "./output.js";

export interface TuneCommandOptions {
  budgetThreads?: number;
  maxConcurrency: number;
  timeLimit: number;
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
  before: { settings: TuneSettings; deliveredPerSecond: number } | null;
  after: { settings: TuneSettings; deliveredPerSecond: number } | null;
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

  const { signal, unsubscribe } = abortOnInterrupt(deps.interrupts, output, deps.exitNow);
  try {
    if (options.progress) {
      output.notice(
        `Tuning ${basename(loaded.path)} on a live run (sources repeat): up to ${budgetThreads} threads, concurrency up to ${options.maxConcurrency}, at most ${options.timeLimit} s…`,
      );
    }
    const tuned = await tunePipelineFile(loaded.spec, {
      baseDir: loaded.baseDir,
      // As for run: PIPELINE_STUDIO_REDIS names the remote stages' Redis over the file's.
      ...(process.env.PIPELINE_STUDIO_REDIS ? { remote: { redis: process.env.PIPELINE_STUDIO_REDIS } } : {}),
      budgetThreads,
      maxConcurrency: options.maxConcurrency,
      timeLimitMs: options.timeLimit * 1000,
      signal,
      onTrial: options.progress
        ? (trial) =>
            output.notice(
              `  ${trial.kind === "trial" ? `try ${trial.change}` : trial.kind === "baseline" ? "the file's settings" : "final"}: ${trial.deliveredPerSecond} items/s${trial.kind === "trial" ? (trial.kept ? " (kept)" : "") : ""}`,
            )
        : undefined,
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
    const written = options.write && changed ? await savePipelineFile(loaded.path, tuned.tuned) : null;
    const { before, after, tuned: _file, ...result } = tuned;
    if (options.json) {
      output.document(
        report({
          file: loaded.path,
          outcome: "tuned",
          result,
          before: { settings: before.settings, deliveredPerSecond: before.deliveredPerSecond },
          after: { settings: after.settings, deliveredPerSecond: after.deliveredPerSecond },
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

/** Before and after, the settings found (changed ones marked), why it stopped, the verdict line. */
export function formatTune(result: TuneResult, budgetThreads: number): string {
  const { before, after } = result;
  const rows: Array<[string, string, string]> = [["numThreads", String(before.settings.numThreads), String(after.settings.numThreads)]];
  for (const stage of Object.keys(after.settings.concurrency))
    rows.push([`${stage}.concurrency`, String(before.settings.concurrency[stage]), String(after.settings.concurrency[stage])]);
  // Remote stages' worker threads are the workers', not the file's: shown, never written.
  for (const [stage, threads] of Object.entries(after.settings.workerThreads ?? {}))
    rows.push([`${stage} worker threads`, String(before.settings.workerThreads?.[stage] ?? threads), String(threads)]);
  const width = Math.max(...rows.map(([name]) => name.length));
  return [
    `Auto-tune: ${formatElapsed(result.elapsedMs)}, thread budget ${budgetThreads}`,
    `  before  ${String(before.deliveredPerSecond).padStart(9)} items/s`,
    `  after   ${String(after.deliveredPerSecond).padStart(9)} items/s  (${result.speedup === null ? "no items before" : `${result.speedup}×`})`,
    "Settings found:",
    ...rows.map(([name, from, to]) => `  ${name.padEnd(width)}  ${from === to ? to : `${from} → ${to}`}`),
    `Stopped: ${result.stoppedBecause}`,
    ...(result.limitedBy ? [`Note: ${result.limitedBy}`] : []),
    formatVerdict(after.verdict),
  ].join("\n");
}
