import { formatReadiness } from "../../engine/format.js";
import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { PipelineError, type Pipeline, type PipelineSnapshot } from "../../engine/index.js";
import type { OpDefinition } from "../../engine/ops/index.js";
import { compilePipeline, type CompiledPipeline, type PipelineFile, type SpecProblem } from "../../engine/spec/index.js";
import { consume, runError, runOutcome, type ConsumeOutcome, type ConsumeResult } from "../consume.js";
import { ExitCode, UsageError } from "./exitCodes.js";
import { withConsumer } from "./consumerOption.js";
import { interruptedExitCode, stoppingNotice, type InterruptSignal, type InterruptSource } from "./interrupts.js";
import { loadFile, problemsOf, userCodeModules, userCodeNotice } from "./loadFile.js";
import { Output, plainProblems, type CliIo } from "./output.js";
import { applyOverrides, fieldsOf, type Assignment } from "./overrides.js";
import { startProgress, type ProgressDisplay } from "./progress.js";
import { startSpdlStatsLog, type SpdlStatsLog } from "./spdlStatsLog.js";
import { formatStatsTable } from "./statsTable.js";
import {
  buildRunReport,
  findBottleneck,
  formatVerdict,
  type RunReport as SavedRunReport,
  type StageDiagnosis,
} from "../../engine/analysis/index.js";
import { reportFileName, saveRunReport, writeRunReport } from "../runReports.js";
import { startLocalWorkers, type LocalWorkers } from "../localWorkers.js";
import { REDIS_INSTALL_HINT, redisServerInstalled } from "../../engine/remote/redisServer.js";

export interface RunOptions {
  threads?: number;
  set: Assignment[];
  limit?: number;
  json: boolean;
  /** --no-progress turns the display off (progress is stderr-only, so it never spoils results). */
  progress: boolean;
  /** --report [path]: save a run report (true: in the runs folder beside the pipeline file). */
  report?: string | true;
  /** --stats-interval S: SPDL-shaped stats lines on stderr every S seconds. */
  statsInterval?: number;
  /** --redis URL: the Redis of remote stages (over PIPELINE_STUDIO_REDIS, over the file's build.remote). */
  redis?: string;
  /** --local-workers N: a private Redis and N worker processes on this machine for the remote stages. */
  localWorkers?: number;
  /** --consumer-step-ms MS [--consumer-batch N]: the sink's consumer takes MS per N items (overrides the file's). */
  consumerStepMs?: number;
  consumerBatch?: number;
}

export interface RunDependencies {
  io: CliIo;
  interrupts: InterruptSource;
  /** Ends the process at once (a second Ctrl-C). */
  exitNow: (code: ExitCode) => void;
  /** The op catalog; the built-in one unless a test brings its own. */
  catalog?: ReadonlyMap<string, OpDefinition>;
  env?: NodeJS.ProcessEnv;
}

/** The settings a run used, after --threads and --set: what to compare runs by. */
export interface RunSettings {
  numThreads: number;
  maxFailures: number | null;
  limit: number | null;
  overrides: string[];
  /** Per node, the knobs that mean something for its kind (a source has none, a sink only its queue). */
  nodes: NodeSettings[];
}

export interface NodeSettings {
  id: string;
  kind: string;
  op: string | null;
  concurrency?: number;
  queueSize?: number;
  outputOrder?: string;
  timeoutMs?: number | null;
  retries?: number;
  maxFailures?: number | null;
}

/** The one document `run --json` prints. */
export interface RunReport {
  file: string;
  outcome: ConsumeOutcome | "invalid";
  itemsDelivered: number;
  elapsedMs: number;
  settings: RunSettings | null;
  userCode: string[];
  error: Record<string, unknown> | null;
  problems: { path: string; message: string }[];
  stats: PipelineSnapshot | null;
  /** The bottleneck finder's verdict over the whole run (null when the file did not run). */
  bottleneck: { stage: string | null; reason: string; line: string; stages: StageDiagnosis[] } | null;
  /** Where --report wrote the run report (null without --report, or when it could not be written). */
  reportFile: string | null;
}

const EXIT_BY_OUTCOME: Record<ConsumeOutcome, ExitCode> = {
  completed: ExitCode.success,
  limit: ExitCode.success,
  failed: ExitCode.failure,
  stopped: ExitCode.interrupted,
};

/** `pipeline-studio run FILE`: load, override, check, compile, run with progress, report. */
export async function runCommand(file: string, options: RunOptions, deps: RunDependencies): Promise<ExitCode> {
  const output = new Output(deps.io, options.json);
  const { loaded, problems } = await loadFile(file, deps.catalog);
  if (!loaded || problems.length > 0) return invalid(output, loaded?.path ?? resolve(file), problems);

  let spec: PipelineFile;
  let applied: string[];
  try {
    ({ spec, applied } = applyOverrides(loaded.spec, { threads: options.threads, assignments: options.set }));
    spec = withConsumer(spec, options, applied);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.notice(`error: ${error.message}`);
    return ExitCode.usage;
  }

  const remote = await remoteFor(spec, options, deps.env ?? process.env, loaded.baseDir, output);
  if ("problem" in remote) return invalid(output, loaded.path, [remote.problem]);
  if ("error" in remote) {
    output.notice(`error: ${remote.error}`);
    return ExitCode.failure;
  }
  try {
    return await runCompiled(spec, applied, loaded, remote.url, options, deps, output);
  } finally {
    await remote.local?.stop();
  }
}

async function runCompiled(
  spec: PipelineFile,
  applied: string[],
  loaded: { path: string; baseDir: string },
  redisUrl: string | null,
  options: RunOptions,
  deps: RunDependencies,
  output: Output,
): Promise<ExitCode> {
  let compiled: CompiledPipeline;
  let pipeline: Pipeline<unknown>;
  try {
    compiled = compilePipeline(spec, { baseDir: loaded.baseDir, catalog: deps.catalog });
    pipeline = compiled.builder.build({ ...compiled.buildOptions, ...(redisUrl ? { remote: { redis: redisUrl } } : {}) });
  } catch (error) {
    // An op's factory or the builder refused a value the schema let through: a file problem all the same.
    return invalid(output, loaded.path, problemsOf(error));
  }

  // Before anything runs, and never a question: a run may be unattended (no TTY to answer).
  const userCode = userCodeModules(compiled.userCode, loaded.baseDir);
  const notice = userCodeNotice(userCode);
  if (notice) output.notice(notice);

  const controller = new AbortController();
  let progress: ProgressDisplay | undefined;
  let statsLog: SpdlStatsLog | undefined;
  const unsubscribe = deps.interrupts({
    first: (signal) => {
      progress?.stop();
      output.notice(stoppingNotice(signal));
      controller.abort(signal);
    },
    second: (signal) => {
      progress?.stop();
      deps.exitNow(interruptedExitCode(signal));
    },
  });
  try {
    if (options.progress) progress = startProgress({ stream: deps.io.stderr, snapshot: () => pipeline.stats() });
    if (options.statsInterval !== undefined) {
      statsLog = startSpdlStatsLog({ stream: deps.io.stderr, intervalMs: options.statsInterval * 1000, snapshot: () => pipeline.stats() });
    }
    const startedAt = new Date();
    const result = await consume(pipeline, { limit: options.limit, signal: controller.signal, consumer: compiled.buildOptions.consumer });
    progress?.stop();
    statsLog?.stop();

    const snapshot = pipeline.stats();
    const verdict = findBottleneck(snapshot);
    if (result.error) printError(output, result.error);
    const report =
      options.report === undefined
        ? undefined
        : await saveReport(output, loaded.path, options.report, { spec, startedAt, snapshot, result, limit: options.limit, applied });
    if (options.json) {
      output.document({
        file: loaded.path,
        outcome: result.outcome,
        itemsDelivered: result.itemsDelivered,
        elapsedMs: snapshot.elapsedMs,
        settings: settingsOf(spec, options.limit, applied),
        userCode,
        error: result.error ? describeError(result.error) : null,
        problems: [],
        stats: snapshot,
        bottleneck: { stage: verdict.stage, reason: verdict.reason, line: formatVerdict(verdict), stages: verdict.stages },
        reportFile: report?.path ?? null,
      } satisfies RunReport);
    } else {
      output.result(formatStatsTable(snapshot, result.outcome === "limit" ? `stopped at --limit ${options.limit}` : result.outcome));
      if (snapshot.readiness !== null) output.result(formatReadiness(snapshot.readiness));
      output.result(formatVerdict(verdict));
    }
    const code =
      result.outcome === "stopped" ? interruptedExitCode(controller.signal.reason as InterruptSignal) : EXIT_BY_OUTCOME[result.outcome];
    // Asked for a report and got none: a script relying on it must not take the run as a success.
    return report?.path === null && code === ExitCode.success ? ExitCode.failure : code;
  } finally {
    progress?.stop();
    statsLog?.stop();
    unsubscribe();
  }
}

type RemoteSetting = { url: string | null; local?: LocalWorkers } | { problem: SpecProblem } | { error: string };

/**
 * The Redis of the remote stages: --local-workers starts a private one with workers; otherwise
 * --redis, then PIPELINE_STUDIO_REDIS, then the file's build.remote.redis. A file with remote
 * stages and none of these is a problem of the file, said before anything runs.
 */
async function remoteFor(
  spec: PipelineFile,
  options: RunOptions,
  env: NodeJS.ProcessEnv,
  baseDir: string,
  output: Output,
): Promise<RemoteSetting> {
  const remoteStages = spec.nodes.filter((node) => node.runOn === "remote").map((node) => node.id);
  if (remoteStages.length === 0) {
    if (options.localWorkers !== undefined)
      output.notice('--local-workers: no stage runs remote (runOn "remote"), so no workers were started');
    return { url: null };
  }
  if (options.localWorkers !== undefined) {
    if (!redisServerInstalled()) return { error: `--local-workers needs a local Redis. ${REDIS_INSTALL_HINT}` };
    try {
      const local = await startLocalWorkers(options.localWorkers, { root: baseDir, log: (line) => output.notice(line) });
      output.notice(
        `Started a private Redis and ${local.workers} local workers (${local.threadsPerWorker} ${local.threadsPerWorker === 1 ? "thread" : "threads"} each) for ${remoteStages.join(", ")}`,
      );
      return { url: local.url, local };
    } catch (error) {
      return { error: `--local-workers: ${(error as Error).message}` };
    }
  }
  const url = options.redis ?? env.PIPELINE_STUDIO_REDIS ?? spec.build.remote?.redis ?? null;
  if (url === null) {
    return {
      problem: {
        path: "build.remote",
        message: `${remoteStages.map((id) => `'${id}'`).join(", ")} ${remoteStages.length === 1 ? "runs" : "run"} remote: name a Redis (build.remote.redis, PIPELINE_STUDIO_REDIS or run --redis URL), or try run --local-workers N`,
      },
    };
  }
  return { url };
}

function invalid(output: Output, file: string, problems: SpecProblem[]): ExitCode {
  output.problems(problems);
  if (output.json) {
    output.document({
      file,
      outcome: "invalid",
      itemsDelivered: 0,
      elapsedMs: 0,
      settings: null,
      userCode: [],
      error: null,
      problems: plainProblems(problems),
      stats: null,
      bottleneck: null,
      reportFile: null,
    } satisfies RunReport);
  }
  return ExitCode.failure;
}

interface FinishedRun {
  spec: PipelineFile;
  startedAt: Date;
  snapshot: PipelineSnapshot;
  result: ConsumeResult;
  limit: number | undefined;
  applied: string[];
}

/** Writes the run report; says where on stderr, or why it could not (path null). */
async function saveReport(output: Output, file: string, target: string | true, run: FinishedRun): Promise<{ path: string | null }> {
  const report = buildRunReport({
    spec: run.spec,
    file,
    startedAt: run.startedAt,
    finishedAt: new Date(),
    outcome: runOutcome(run.result.outcome),
    error: runError(run.result.error),
    snapshot: run.snapshot,
    limit: run.limit ?? null,
    overrides: run.applied,
  });
  try {
    const path = await writeReportFor(file, report, target);
    output.notice(`Run report: ${path}`);
    return { path };
  } catch (error) {
    output.notice(`error: cannot write the run report: ${(error as Error).message}`);
    return { path: null };
  }
}

/**
 * Where `run --report [path]` puts the report. No value: the runs folder beside the pipeline
 * file (kept to the last 20, as the app does). A folder: a new file in it, named like the app's.
 * Any other path: that file, written atomically.
 */
export async function writeReportFor(pipelinePath: string, report: SavedRunReport, target: string | true): Promise<string> {
  if (target === true) return (await saveRunReport(pipelinePath, report)).path;
  const isFolder = await stat(target).then(
    (info) => info.isDirectory(),
    () => false,
  );
  return writeRunReport(isFolder ? join(target, reportFileName(report)) : target, report);
}

function printError(output: Output, error: Error): void {
  output.notice(`error: ${error.message}`);
  if (!(error instanceof PipelineError)) return;
  for (const cause of error.causes.slice(-5))
    output.notice(`  ${cause.stage}: ${cause.error.name}: ${cause.error.message} (item ${cause.itemPreview})`);
}

export function settingsOf(spec: PipelineFile, limit: number | undefined, overrides: string[]): RunSettings {
  return {
    numThreads: spec.build.numThreads,
    maxFailures: spec.build.maxFailures,
    limit: limit ?? null,
    overrides,
    nodes: spec.nodes.map((node) => {
      const knobs = Object.fromEntries(fieldsOf(node).map((field) => [field, node[field]])) as Partial<NodeSettings>;
      return { id: node.id, kind: node.kind, op: node.op, ...knobs };
    }),
  };
}

/** The error as JSON: PipelineErrors keep the stage, the limit and the causes with item previews. */
export function describeError(error: Error): Record<string, unknown> {
  if (error instanceof PipelineError) {
    return {
      name: error.name,
      message: error.message,
      stage: error.stage,
      scope: error.scope,
      failures: error.failures,
      calls: error.calls,
      maxFailures: error.maxFailures,
      causes: error.causes.map((cause) => ({
        stage: cause.stage,
        error: { name: cause.error.name, message: cause.error.message },
        item: cause.itemPreview,
        attempts: cause.attempts,
      })),
    };
  }
  return { name: error.name, message: error.message };
}
