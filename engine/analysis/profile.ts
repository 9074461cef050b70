import { availableParallelism } from "node:os";
import { SIZE_BOUNDS } from "../bounds.js";
import { formatRate } from "../format.js";
import { PipelineBuilder, type Router } from "../builder.js";
import type { Pipeline } from "../pipeline.js";
import { aggregateParamsSchema } from "../spec/nodeParams.js";
import { checkRunnable } from "../spec/validateFile.js";
import { createNodeOp, createNodeSource, nodePipeOptions } from "../spec/compile.js";
import { inputsByNode } from "../spec/graph.js";
import { SpecError } from "../spec/problems.js";
import type { PipelineFile, PipelineNode } from "../spec/schema.js";
import type { ExecutorKind } from "../executors.js";
import { isPoolTask, isRemoteTask } from "../opTypes.js";
import type { RemoteOptions } from "../remote/remoteExecutor.js";
import { measure, stageCallsPerSecond } from "./measure.js";
import { batchSample, interleave, replay, takeSample, unbatchSample } from "./inputSample.js";
import { judgeSaturation, type ProfileLevel } from "./saturation.js";

export interface ProfileOptions {
  /** The pipeline file's folder (relative paths in params). */
  baseDir: string;
  /** Highest concurrency tried (default 32): levels are 1, 2, 4, … up to it. */
  maxConcurrency?: number;
  /** Time spent at each level (default 1000 ms: a quarter settling, the rest measured). */
  stepMs?: number;
  /** Inputs buffered per stage and replayed in a cycle (default 256). */
  sampleSize?: number;
  /** Most pool threads a pool stage gets (default: the file's numThreads or the cores, whichever is more). */
  maxThreads?: number;
  /** The Redis of remote stages (default: the file's build.remote). */
  remote?: RemoteOptions;
  /** Only these stages (by id); the others still turn the sample into their successors' inputs. */
  stages?: readonly string[];
  signal?: AbortSignal;
  /** After each level. */
  onStep?: (step: ProfileStep) => void;
}

export interface ProfileStep extends ProfileLevel {
  stage: string;
}

export interface StageProfile {
  stage: string;
  op: string;
  executor: ExecutorKind;
  /** The concurrency the file sets. */
  fileConcurrency: number;
  /** Inputs in the buffered sample it was fed. */
  sampleSize: number;
  levels: ProfileLevel[];
  /** The lowest concurrency within 10 % of the best throughput; null when nothing was measured. */
  saturatesAt: number | null;
  /** One sentence: where more concurrency stops helping, and why if it is known. */
  summary: string;
}

export interface ProfileResult {
  stages: StageProfile[];
  stepMs: number;
  maxConcurrency: number;
  maxThreads: number;
  elapsedMs: number;
}

const DEFAULT_MAX_CONCURRENCY = 32;
const DEFAULT_STEP_MS = 1000;
const DEFAULT_SAMPLE_SIZE = 256;
/** A source that is slow to give its first items is sampled for at most this long. */
const SOURCE_SAMPLE_TIME_MS = 5000;
const SINK_BUFFER = 64;

/**
 * The concurrency sweep of SPDL's profile_pipeline: each stage runs alone, fed a buffered
 * sample of its real inputs in a cycle, at concurrency 1, 2, 4, … up to the bound, a fixed
 * time per level, and its throughput is measured at each. A stage's outputs during its sweep
 * become the sample of the stages it feeds, so every stage sees inputs like the real ones.
 */
export async function profilePipeline(spec: PipelineFile, options: ProfileOptions): Promise<ProfileResult> {
  const problems = checkRunnable(spec);
  if (problems.length > 0) throw new SpecError(problems);
  const started = performance.now();
  const maxConcurrency = boundedInteger(
    "maxConcurrency",
    options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
    1,
    SIZE_BOUNDS.concurrency.max,
  );
  const stepMs = boundedInteger("stepMs", options.stepMs ?? DEFAULT_STEP_MS, 100, 600_000);
  const sampleSize = boundedInteger("sampleSize", options.sampleSize ?? DEFAULT_SAMPLE_SIZE, 1, 1_000_000);
  const maxThreads = boundedInteger(
    "maxThreads",
    options.maxThreads ?? Math.min(Math.max(spec.build.numThreads, availableParallelism()), SIZE_BOUNDS.numThreads.max),
    1,
    SIZE_BOUNDS.numThreads.max,
  );
  const wanted = options.stages ? new Set(options.stages) : null;
  for (const id of wanted ?? []) {
    const node = spec.nodes.find((candidate) => candidate.id === id);
    if (!node) throw new Error(`profile: no stage named '${id}' in the pipeline`);
    if (node.kind !== "stage")
      throw new Error(
        `profile: '${id}' is ${/^[aeiou]/.test(node.kind) ? "an" : "a"} ${node.kind} node; only stages have a concurrency to sweep`,
      );
  }

  const inputs = inputsByNode(spec);
  const nodes = new Map(spec.nodes.map((node) => [node.id, node]));
  const order = spec.nodes.map((node) => node.id);
  const outputs = new Map<string, Promise<unknown[]>>();
  const stages: StageProfile[] = [];
  const sweep: SweepSettings = {
    levels: concurrencyLevels(maxConcurrency),
    stepMs,
    sampleSize,
    maxThreads,
    remote: options.remote ?? (spec.build.remote ? { redis: spec.build.remote.redis } : undefined),
    signal: options.signal,
    onStep: options.onStep,
  };

  const inputSample = async (node: PipelineNode): Promise<unknown[]> => {
    const feeding: unknown[][] = [];
    // In turn, not at once: stages profiled side by side would compete for the CPU.
    for (const edge of spec.edges) {
      if (edge.to !== node.id) continue;
      // Out of a route, a path gets the share of the sample its router sends down it.
      feeding.push(edge.path === undefined ? await outputSample(nodes.get(edge.from)!) : (await routedSample(edge.from))[edge.path]);
    }
    return interleave(feeding);
  };
  const routedSamples = new Map<string, Promise<unknown[][]>>();
  const routedSample = (routeId: string): Promise<unknown[][]> => {
    let sample = routedSamples.get(routeId);
    if (!sample) {
      const route = nodes.get(routeId)!;
      const paths = spec.edges.filter((edge) => edge.from === routeId).length;
      sample = inputSample(route).then((items) => routeSample(route, paths, items, options.baseDir, sweep));
      routedSamples.set(routeId, sample);
    }
    return sample;
  };
  const outputSample = (node: PipelineNode): Promise<unknown[]> => {
    let sample = outputs.get(node.id);
    if (!sample) {
      sample = produce(node);
      outputs.set(node.id, sample);
    }
    return sample;
  };
  const produce = async (node: PipelineNode): Promise<unknown[]> => {
    if (node.kind === "source")
      return takeSample(createNodeSource(node, options.baseDir), sampleSize, SOURCE_SAMPLE_TIME_MS, options.signal);
    const sample = await inputSample(node);
    if (node.kind === "aggregate") {
      const { size, dropLast } = aggregateParamsSchema.parse(node.params);
      return batchSample(sample, size, dropLast);
    }
    if (node.kind === "disaggregate") return unbatchSample(sample);
    const fedBySource = (inputs.get(node.id) ?? []).every((id) => nodes.get(id)!.kind === "source");
    const profiled = await profileStage(node, sample, options.baseDir, sweep, wanted === null || wanted.has(node.id), fedBySource);
    if (profiled.profile) stages.push(profiled.profile);
    return profiled.outputs;
  };

  // Asked for some stages: only they and what feeds them run; else everything up to the sink.
  if (wanted) for (const id of wanted) await outputSample(nodes.get(id)!);
  else await inputSample(spec.nodes.find((node) => node.kind === "sink")!);
  stages.sort((a, b) => order.indexOf(a.stage) - order.indexOf(b.stage));
  return { stages, stepMs, maxConcurrency, maxThreads, elapsedMs: Math.round(performance.now() - started) };
}

interface SweepSettings {
  levels: number[];
  stepMs: number;
  sampleSize: number;
  maxThreads: number;
  remote: RemoteOptions | undefined;
  signal?: AbortSignal;
  onStep?: (step: ProfileStep) => void;
}

/** 1, 2, 4, … and the bound itself when it is not a power of two. */
export function concurrencyLevels(maxConcurrency: number): number[] {
  const levels: number[] = [];
  for (let level = 1; level <= maxConcurrency; level *= 2) levels.push(level);
  if (levels[levels.length - 1] !== maxConcurrency) levels.push(maxConcurrency);
  return levels;
}

/**
 * Sweeps one stage (when `measured`) or just runs it over its sample to feed the next ones.
 * One pipeline per stage: the knobs change live between levels, so pool threads and loaded
 * modules stay warm and every level gets the same time.
 */
async function profileStage(
  node: PipelineNode,
  sample: unknown[],
  baseDir: string,
  sweep: SweepSettings,
  measured: boolean,
  fedBySource: boolean,
): Promise<{ profile: StageProfile | null; outputs: unknown[] }> {
  const base = { stage: node.id, op: node.op ?? "", fileConcurrency: node.concurrency, sampleSize: sample.length };
  const { op } = createNodeOp(node, baseDir);
  const executor: ExecutorKind = isPoolTask(op) ? "pool" : isRemoteTask(op) ? "remote" : "loop";
  if (sample.length === 0) {
    const summary = fedBySource
      ? "the source yielded no items to sample"
      : "no inputs reached this stage in the sample (the stages before it dropped or failed every item)";
    return { profile: measured ? { ...base, executor, levels: [], saturatesAt: null, summary } : null, outputs: [] };
  }
  const levels = measured ? sweep.levels : [node.concurrency];
  const threadsFor = (concurrency: number) => Math.min(concurrency, sweep.maxThreads);
  const pipeline = new PipelineBuilder()
    .addSource(replay(sample), { name: `${node.id}-sample` })
    // Failures are counted, not fatal: a profile measures a stage that fails some items too.
    .pipe(op, { ...nodePipeOptions(node), concurrency: levels[0], maxFailures: undefined })
    .addSink(SINK_BUFFER)
    .build({ numThreads: threadsFor(levels[0]), maxThreads: sweep.maxThreads, remote: sweep.remote }) as Pipeline<unknown>;

  const outputs: unknown[] = [];
  let consumerError: unknown = null;
  const consuming = (async () => {
    for await (const item of pipeline) if (outputs.length < sweep.sampleSize) outputs.push(item);
  })().catch((error: unknown) => (consumerError = error));

  const measuredLevels: ProfileLevel[] = [];
  try {
    if (!measured) {
      await waitForOutputs(outputs, sweep, pipeline);
    } else {
      for (const concurrency of levels) {
        pipeline.setConcurrency(node.id, concurrency);
        pipeline.setNumThreads(threadsFor(concurrency));
        const window = await measure(pipeline, { settleMs: sweep.stepMs / 4, measureMs: (sweep.stepMs * 3) / 4 }, sweep.signal);
        if (consumerError) throw consumerError;
        const stage = window.end.stages.find((candidate) => candidate.name === node.id)!;
        const before = window.start.stages.find((candidate) => candidate.name === node.id)!;
        const level: ProfileLevel = {
          concurrency,
          threads: stage.executor === "pool" ? threadsFor(concurrency) : 0,
          itemsPerSecond: round(stageCallsPerSecond(node.id, window.start, window.end)),
          failures: stage.failures - before.failures,
          p50Ms: round(stage.recentLatencyMs.p50Ms),
        };
        measuredLevels.push(level);
        sweep.onStep?.({ stage: node.id, ...level });
      }
    }
  } finally {
    await pipeline.stop();
    await consuming;
  }
  if (!measured) return { profile: null, outputs };
  const firstFailure = pipeline.failures()[0];
  return {
    profile: {
      ...base,
      executor,
      levels: measuredLevels,
      ...describeSaturation(measuredLevels, executor, sweep.maxThreads, firstFailure?.error.message),
    },
    outputs,
  };
}

/** A route's sample split by path, as its router splits it (items it fails on go nowhere, as in a run). */
async function routeSample(
  route: PipelineNode,
  paths: number,
  sample: unknown[],
  baseDir: string,
  sweep: SweepSettings,
): Promise<unknown[][]> {
  const byPath: unknown[][] = Array.from({ length: paths }, () => []);
  if (sample.length === 0) return byPath;
  const { op } = createNodeOp(route, baseDir);
  const tagged = new PipelineBuilder()
    .addSource(sample)
    .pathVariants(
      op as Router<unknown>,
      byPath.map(
        (_, path) => (branch: PipelineBuilder<unknown>) => branch.pipe((item: unknown) => ({ path, item }), { name: `path ${path}` }),
      ),
      { name: route.id },
    )
    .addSink(0)
    .build({ numThreads: 1, maxThreads: sweep.maxThreads, remote: sweep.remote });
  for await (const { path, item } of tagged) byPath[path].push(item);
  return byPath;
}

/** A stage that is not profiled runs just until its outputs fill the next stage's sample. */
async function waitForOutputs(outputs: unknown[], sweep: SweepSettings, pipeline: Pipeline<unknown>): Promise<void> {
  const started = performance.now();
  const deadline = started + Math.max(sweep.stepMs, SOURCE_SAMPLE_TIME_MS);
  while (outputs.length < sweep.sampleSize && performance.now() < deadline && pipeline.state === "running") {
    await measure(pipeline, { settleMs: 0, measureMs: 20 }, sweep.signal);
    // A stage that has passed nothing on after a full step drops or fails everything: stop waiting.
    if (outputs.length === 0 && performance.now() - started > sweep.stepMs) return;
  }
}

function describeSaturation(
  levels: ProfileLevel[],
  executor: ExecutorKind,
  maxThreads: number,
  firstFailure: string | undefined,
): Pick<StageProfile, "saturatesAt" | "summary"> {
  const judged = judgeSaturation(levels);
  if (!judged) return { saturatesAt: null, summary: `no call succeeded${firstFailure ? ` (first error: ${firstFailure})` : ""}` };
  const { point } = judged;
  const best = levels.reduce((a, b) => (b.itemsPerSecond > a.itemsPerSecond ? b : a));
  // The sentence, the chart's marker and the button all say judged.point.
  if (judged.stillRising) {
    return { saturatesAt: point.concurrency, summary: `still rising at concurrency ${point.concurrency} (${rate(point)}): more may help` };
  }
  const atBest = best.concurrency === point.concurrency ? "" : `; best ${rate(best)} at ${best.concurrency}`;
  const threadLimit =
    executor === "pool" && point.concurrency >= maxThreads
      ? ` — a pool stage, limited by the ${maxThreads} thread${maxThreads === 1 ? "" : "s"} it may use`
      : "";
  const next = levels[levels.indexOf(point) + 1];
  const gain = next ? ` (${next.concurrency} gives ${ratio(next.itemsPerSecond / point.itemsPerSecond)})` : "";
  return {
    saturatesAt: point.concurrency,
    summary: `more concurrency stops helping past ${point.concurrency}: ${rate(point)}${gain}${atBest}${threadLimit}`,
  };
}

function rate(level: ProfileLevel): string {
  return `${formatRate(level.itemsPerSecond)} items/s`;
}

function ratio(value: number): string {
  return `${value >= 1 ? "+" : "−"}${Math.abs(Math.round((value - 1) * 100))}%`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function boundedInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new RangeError(`profile: ${name} must be an integer from ${min} to ${max}, got ${value}`);
  return value;
}
