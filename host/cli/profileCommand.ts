import { basename } from "node:path";
import { profilePipeline, type ProfileResult, type StageProfile } from "../../engine/analysis/index.js";
import { formatElapsed, formatRate } from "../../engine/format.js";
import { ExitCode } from "./exitCodes.js";
import { abortOnInterrupt, reportEndedEarly, type InterruptSource } from "./interrupts.js";
import { loadRunnableFile } from "./loadFile.js";
import { Output, plainProblems, type CliIo } from "./output.js";

export interface ProfileCommandOptions {
  maxConcurrency: number;
  stepMs: number;
  sample: number;
  maxThreads?: number;
  stage: string[];
  json: boolean;
  progress: boolean;
}

export interface ProfileCommandDependencies {
  io: CliIo;
  interrupts: InterruptSource;
  exitNow: (code: ExitCode) => void;
}

/** The one document `profile --json` prints. */
export interface ProfileReport {
  file: string;
  outcome: "profiled" | "invalid" | "failed" | "stopped";
  profile: ProfileResult | null;
  problems: { path: string; message: string }[];
  error: string | null;
}

/** `pipeline-studio profile FILE`: the concurrency sweep of every stage, as a table per stage. */
export async function profileCommand(file: string, options: ProfileCommandOptions, deps: ProfileCommandDependencies): Promise<ExitCode> {
  const output = new Output(deps.io, options.json);
  const report = (fields: Partial<ProfileReport> & Pick<ProfileReport, "file" | "outcome">): ProfileReport => ({
    profile: null,
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
    if (options.progress)
      output.notice(`Profiling ${basename(loaded.path)}: ${options.stepMs} ms per level, concurrency up to ${options.maxConcurrency}…`);
    const profile = await profilePipeline(loaded.spec, {
      baseDir: loaded.baseDir,
      maxConcurrency: options.maxConcurrency,
      stepMs: options.stepMs,
      sampleSize: options.sample,
      maxThreads: options.maxThreads,
      // As for run: PIPELINE_STUDIO_REDIS names the remote stages' Redis over the file's.
      ...(process.env.PIPELINE_STUDIO_REDIS ? { remote: { redis: process.env.PIPELINE_STUDIO_REDIS } } : {}),
      stages: options.stage.length > 0 ? options.stage : undefined,
      signal,
      onStep: options.progress
        ? (step) => output.notice(`  ${step.stage} at concurrency ${step.concurrency}: ${formatRate(step.itemsPerSecond)} items/s`)
        : undefined,
    });
    if (options.json) output.document(report({ file: loaded.path, outcome: "profiled", profile }));
    else output.result(formatProfile(loaded.path, profile));
    return ExitCode.success;
  } catch (error) {
    return reportEndedEarly(output, error, signal, "profile stopped before it finished", (outcome, message) =>
      report({ file: loaded.path, outcome, error: message }),
    );
  } finally {
    unsubscribe();
  }
}

/** One block per stage: a row per concurrency level with a bar scaled to the stage's best. */
export function formatProfile(path: string, profile: ProfileResult): string {
  const lines = [`Profile of ${basename(path)}: ${profile.stepMs} ms per level, ${formatElapsed(profile.elapsedMs)} in all`];
  if (profile.stages.length === 0)
    lines.push(
      "",
      "No stages to profile: the pipeline has no stage with a concurrency (only sources, aggregate / disaggregate and the sink).",
    );
  for (const stage of profile.stages) lines.push("", ...formatStage(stage));
  return lines.join("\n");
}

const BAR_WIDTH = 24;

function formatStage(stage: StageProfile): string[] {
  const where = stage.executor === "pool" ? "worker pool" : "event loop";
  const header = `${stage.stage} (${stage.op}, ${where}; the file says concurrency ${stage.fileConcurrency}; ${stage.sampleSize} sample inputs)`;
  if (stage.levels.length === 0) return [header, `  → ${stage.summary}`];
  const best = Math.max(...stage.levels.map((level) => level.itemsPerSecond), 1e-9);
  const rows = stage.levels.map((level) => {
    const bar = "█".repeat(Math.round((level.itemsPerSecond / best) * BAR_WIDTH));
    const threads = stage.executor === "pool" ? String(level.threads).padStart(8) : "".padStart(8);
    const mark = level.concurrency === stage.saturatesAt ? " ◀" : "";
    return `  ${String(level.concurrency).padStart(11)}${threads}${formatRate(level.itemsPerSecond).padStart(10)}${level.p50Ms.toFixed(1).padStart(9)}  ${bar}${mark}`;
  });
  return [
    header,
    `  concurrency ${stage.executor === "pool" ? " threads" : "        "}   items/s   p50 ms`,
    ...rows,
    `  → ${stage.summary}`,
  ];
}
