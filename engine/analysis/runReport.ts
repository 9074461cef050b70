import { z } from "zod";
import { formatPath } from "../spec/problems.js";
import type { PipelineFile } from "../spec/schema.js";
import type { PipelineSnapshot } from "../stats/snapshot.js";
import { findBottleneck, formatVerdict } from "./bottleneck.js";

/**
 * A run report: what a finished run used (settings) and what it achieved (final figures), kept
 * as JSON beside the pipeline file so runs compare across sessions. Pure: no file system here
 * (host/runReports.ts stores them). The schema is the source of the type, so a report read back
 * is checked against the very shape that was written.
 */

export const RUN_REPORT_FORMAT = "pipeline-studio-run/1";

export const RUN_OUTCOMES = ["completed", "failed", "stopped"] as const;
/** How a run ended, in its report and in the app. */
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

const fraction = z.number().min(0).max(1);
const count = z.number().int().min(0);
const latencySchema = z.object({ p50Ms: z.number(), p90Ms: z.number(), p99Ms: z.number(), meanMs: z.number() });

/** The knobs of one node as run; null where its kind has no such knob (a sink has only its queue). */
const nodeSettingsSchema = z.object({
  id: z.string(),
  kind: z.string(),
  op: z.string().nullable(),
  concurrency: z.number().int().min(1).nullable(),
  outputOrder: z.enum(["completion", "input"]).nullable(),
  queueSize: z.number().int().min(1).nullable(),
});

const settingsSchema = z.object({
  numThreads: z.number().int().min(1),
  maxFailures: z.number().nullable(),
  /** The CLI's --limit (stop after N delivered items); null in the app. */
  limit: count.nullable(),
  /** The CLI's --set / --threads as typed; empty in the app. */
  overrides: z.array(z.string()),
  nodes: z.array(nodeSettingsSchema),
  /** Knobs turned while the run went on ("download.concurrency 4 → 8"): its figures mix both settings. */
  liveChanges: z.array(z.string()),
});

const stageFiguresSchema = z.object({
  name: z.string(),
  kind: z.string(),
  executor: z.string(),
  itemsIn: count,
  itemsOut: count,
  failures: count,
  /** itemsOut ÷ the run's elapsed seconds. */
  itemsPerSecond: z.number().min(0),
  /** Per call, over the whole run; null for stages that make no calls or made none. */
  latencyMs: latencySchema.nullable(),
  /** Busy slots ÷ concurrency since the stage started (0..1); null for stages that make no calls. */
  utilisation: fraction.nullable(),
  /** Remote stages: the workers that served it (reports of runs before remote stages have none). */
  workers: z.array(z.object({ name: z.string(), host: z.string(), done: count })).optional(),
});

const queueFiguresSchema = z.object({
  name: z.string(),
  capacity: count,
  occupancy: fraction,
  blockedFraction: fraction,
});

export const runReportSchema = z.object({
  format: z.literal(RUN_REPORT_FORMAT),
  pipeline: z.object({ name: z.string(), file: z.string().nullable() }),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  outcome: z.enum(RUN_OUTCOMES),
  error: z.object({ stage: z.string().nullable(), message: z.string() }).nullable(),
  settings: settingsSchema,
  figures: z.object({
    elapsedMs: z.number().min(0),
    itemsDelivered: count,
    /** itemsDelivered ÷ elapsed seconds: the whole run, not the last few seconds. */
    itemsPerSecond: z.number().min(0),
    failures: count,
    /** The consumer's readiness (share of its time not waiting for an item); null without a consumer or in reports older than it. */
    readiness: z.number().min(0).max(1).nullable().default(null),
    /** Process CPU time ÷ (elapsed × cores); null in reports older than it. */
    cpu: z.number().min(0).nullable().default(null),
    stages: z.array(stageFiguresSchema),
    queues: z.array(queueFiguresSchema),
  }),
  /** The bottleneck finder's verdict over the whole run; `line` is the CLI's verdict line. */
  bottleneck: z.object({ stage: z.string().nullable(), reason: z.string(), line: z.string() }),
});

export type RunReport = z.output<typeof runReportSchema>;
export type RunNodeSettings = z.output<typeof nodeSettingsSchema>;
export type RunSettings = z.output<typeof settingsSchema>;
export type StageFigures = z.output<typeof stageFiguresSchema>;

export interface RunReportInput {
  /** The pipeline as it was started (with the CLI's overrides applied). */
  spec: PipelineFile;
  /** The pipeline file, or null for one never saved. */
  file: string | null;
  startedAt: Date;
  finishedAt: Date;
  outcome: RunOutcome;
  error?: { stage: string | null; message: string } | null;
  /** The snapshot taken once the pipeline stopped: its figures are final. */
  snapshot: PipelineSnapshot;
  limit?: number | null;
  overrides?: readonly string[];
}

export function buildRunReport(input: RunReportInput): RunReport {
  const { spec, snapshot } = input;
  const seconds = snapshot.elapsedMs / 1000;
  const perSecond = (items: number): number => (seconds > 0 ? items / seconds : 0);
  const verdict = findBottleneck(snapshot);
  return {
    format: RUN_REPORT_FORMAT,
    pipeline: { name: spec.name || pipelineNameFromFile(input.file), file: input.file },
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    outcome: input.outcome,
    error: input.error ?? null,
    settings: settingsAsRun(spec, snapshot, input.limit ?? null, [...(input.overrides ?? [])]),
    figures: {
      elapsedMs: snapshot.elapsedMs,
      itemsDelivered: snapshot.itemsDelivered,
      itemsPerSecond: perSecond(snapshot.itemsDelivered),
      failures: snapshot.failures,
      readiness: snapshot.readiness,
      cpu: snapshot.cpu,
      stages: snapshot.stages.map((stage) => {
        const calls = stage.kind === "pipe";
        const { p50Ms, p90Ms, p99Ms, meanMs } = stage.latencyMs;
        return {
          name: stage.name,
          kind: stage.kind,
          executor: stage.executor,
          itemsIn: stage.itemsIn,
          itemsOut: stage.itemsOut,
          failures: stage.failures,
          itemsPerSecond: perSecond(stage.itemsOut),
          latencyMs: calls && stage.itemsIn > 0 ? { p50Ms, p90Ms, p99Ms, meanMs } : null,
          utilisation: calls ? Math.max(0, Math.min(1, stage.busyFractionSinceStart)) : null,
          ...(stage.remote
            ? { workers: stage.remote.workers.filter((worker) => worker.done > 0).map(({ name, host, done }) => ({ name, host, done })) }
            : {}),
        };
      }),
      queues: snapshot.queues.map((queue) => ({
        name: queue.name,
        capacity: queue.capacity,
        occupancy: queue.occupancy,
        blockedFraction: queue.blockedFraction,
      })),
    },
    bottleneck: { stage: verdict.stage, reason: verdict.reason, line: formatVerdict(verdict) },
  };
}

/**
 * The settings the figures came from. Concurrency and the pool size are read from the final
 * snapshot, because a knob turned during the run is what the run ended with; the file's value
 * and the turn are kept in liveChanges.
 */
function settingsAsRun(spec: PipelineFile, snapshot: PipelineSnapshot, limit: number | null, overrides: string[]): RunSettings {
  const liveChanges: string[] = [];
  const numThreads = snapshot.pool?.numThreads ?? spec.build.numThreads;
  if (numThreads !== spec.build.numThreads) liveChanges.push(`build.numThreads ${spec.build.numThreads} → ${numThreads}`);
  const nodes = spec.nodes
    .filter((node) => node.kind !== "source")
    .map((node): RunNodeSettings => {
      const isStage = node.kind === "stage";
      const finalConcurrency = snapshot.stages.find((stage) => stage.name === node.id)?.concurrency ?? node.concurrency;
      if (isStage && finalConcurrency !== node.concurrency)
        liveChanges.push(`${node.id}.concurrency ${node.concurrency} → ${finalConcurrency}`);
      return {
        id: node.id,
        kind: node.kind,
        op: node.op,
        concurrency: isStage ? finalConcurrency : null,
        outputOrder: isStage ? node.outputOrder : null,
        queueSize: node.queueSize,
      };
    });
  return { numThreads, maxFailures: spec.build.maxFailures, limit, overrides, nodes, liveChanges };
}

/** "seed" for ".../seed.pipeline.json"; "Untitled" for a pipeline never saved. */
export function pipelineNameFromFile(file: string | null): string {
  if (!file) return "Untitled";
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.pipeline\.json$/, "").replace(/\.json$/, "") || base;
}

/** A file that is not a run report this version can read; `problems` say where and why. */
export class RunReportError extends Error {
  override name = "RunReportError";
  constructor(
    readonly source: string,
    readonly problems: { path: string; message: string }[],
  ) {
    super(
      `${source}: not a readable run report: ${problems.map((problem) => (problem.path === "$" ? problem.message : `${problem.path}: ${problem.message}`)).join("; ")}`,
    );
  }
}

/** Checks parsed JSON against the report format; throws RunReportError naming the first problems. */
export function parseRunReport(raw: unknown, source: string): RunReport {
  const format = typeof raw === "object" && raw !== null ? (raw as { format?: unknown }).format : undefined;
  if (typeof format === "string" && format.startsWith("pipeline-studio-run/") && format !== RUN_REPORT_FORMAT) {
    throw new RunReportError(source, [
      { path: "format", message: `"${format}" was written by a newer Pipeline Studio; this one reads "${RUN_REPORT_FORMAT}"` },
    ]);
  }
  const parsed = runReportSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, 5).map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
  throw new RunReportError(source, problems);
}

/** What a list of runs shows per run: enough to pick two to compare. */
export interface RunSummary {
  /** How to ask for the report again (a file name in the runs folder, or a session id). */
  id: string;
  /** Where it is stored; null when it lives only in memory (an unsaved pipeline). */
  path: string | null;
  startedAt: string;
  outcome: RunOutcome;
  itemsDelivered: number;
  elapsedMs: number;
  itemsPerSecond: number;
  /** "3 threads · download ×4 · preprocess ×2". */
  settings: string;
  bottleneck: string | null;
}

export function summarizeRunReport(report: RunReport, id: string, path: string | null): RunSummary {
  const { figures } = report;
  return {
    id,
    path,
    startedAt: report.startedAt,
    outcome: report.outcome,
    itemsDelivered: figures.itemsDelivered,
    elapsedMs: figures.elapsedMs,
    itemsPerSecond: figures.itemsPerSecond,
    settings: describeSettings(report.settings),
    bottleneck: report.bottleneck.stage,
  };
}

/** The pool size and each stage's concurrency, the knobs a user turns most. */
export function describeSettings(settings: RunSettings): string {
  const stages = settings.nodes.filter((node) => node.concurrency !== null).map((node) => `${node.id} ×${node.concurrency}`);
  return [`${settings.numThreads} thread${settings.numThreads === 1 ? "" : "s"}`, ...stages].join(" · ");
}
