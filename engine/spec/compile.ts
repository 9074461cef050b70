import { resolve } from "node:path";
import { PipelineBuilder, merge, type Router } from "../builder.js";
import type { PipeOptions } from "../config.js";
import type { Op } from "../opTypes.js";
import type { BuildOptions } from "../pipeline.js";
import { catalog as builtinCatalog } from "../ops/index.js";
import type { OpBuildContext, OpDefinition, SourceOpDefinition, StageOpDefinition } from "../ops/catalog.js";
import { remoteOp } from "../ops/create.js";
import { inputsByNode } from "./graph.js";
import { routeLayouts } from "./routes.js";
import { aggregateParamsSchema } from "./nodeParams.js";
import { SpecError, type SpecProblem } from "./problems.js";
import type { PipelineFile, PipelineNode } from "./schema.js";
import { checkRunnable } from "./validateFile.js";

export interface CompileOptions {
  /** The pipeline file's folder; relative paths in params resolve against it. */
  baseDir: string;
  catalog?: ReadonlyMap<string, OpDefinition>;
  /**
   * Start every source over when it ends, so the pipeline runs until stopped (auto-tune
   * measures a steady state however short the file's source is). A source yielding nothing ends.
   * maxFailures given as a count is lifted then (it was meant for one pass); a fraction holds.
   */
  repeatSources?: boolean;
}

export interface CompiledPipeline {
  builder: PipelineBuilder<unknown>;
  buildOptions: BuildOptions;
  /** Modules of user code the pipeline will run (shown to the user before it runs). */
  userCode: string[];
}

/**
 * Turns a runnable pipeline file into a PipelineBuilder: from the sink back, each node is applied
 * to the chain that feeds it, and several inputs become a merge. Node ids are the stage names, so
 * live knobs address stages by the ids in the file. The walk keeps its own stack, so a chain of
 * any length compiles. Whatever it refuses is a SpecError naming the node.
 */
export function compilePipeline(spec: PipelineFile, options: CompileOptions): CompiledPipeline {
  const catalog = options.catalog ?? builtinCatalog;
  const problems = checkRunnable(spec, { catalog, baseDir: options.baseDir });
  if (problems.length > 0) throw new SpecError(problems);
  const inputs = inputsByNode(spec);
  const indexById = new Map(spec.nodes.map((node, index) => [node.id, index]));
  const nodeById = new Map(spec.nodes.map((node) => [node.id, node]));
  const { routes, routeMeetingAt } = routeLayouts(spec);
  const outTo = new Map(spec.edges.filter((edge) => edge.path === undefined).map((edge) => [edge.from, edge.to]));
  const userCode: string[] = [];
  const built = new Map<string, PipelineBuilder<unknown>>();
  const limit = (maxFailures: number | undefined) => (options.repeatSources ? perPassLimit(maxFailures) : maxFailures);
  // Where a route's paths meet, the node continues the route's pathVariants; its drawn inputs are the paths' ends.
  const feedingOf = (id: string): string[] => {
    const route = routeMeetingAt.get(id);
    return route === undefined ? (inputs.get(id) ?? []) : [route];
  };

  const applySource = (node: PipelineNode): PipelineBuilder<unknown> => {
    if (options.repeatSources && !node.repeat) {
      return new PipelineBuilder().addSource(repeatSource(node, options.baseDir, catalog), { name: node.id });
    }
    return new PipelineBuilder().addSource(createNodeSource(node, options.baseDir, catalog), { name: node.id, repeat: node.repeat });
  };

  const applyTo = (node: PipelineNode, upstream: PipelineBuilder<unknown>): PipelineBuilder<unknown> => {
    switch (node.kind) {
      case "aggregate": {
        const { size, dropLast } = aggregateParamsSchema.parse(node.params);
        return upstream.aggregate(size, { dropLast, name: node.id, queueSize: node.queueSize }) as PipelineBuilder<unknown>;
      }
      case "disaggregate":
        return upstream.disaggregate({ name: node.id, queueSize: node.queueSize }) as PipelineBuilder<unknown>;
      case "sink":
        return upstream.addSink(node.queueSize);
      case "route": {
        const { op, userModule } = createNodeOp(node, options.baseDir, catalog);
        if (userModule) userCode.push(userModule);
        const { starts, meet } = routes.get(node.id)!;
        return upstream.pathVariants(
          op as Router<unknown>,
          starts.map((start) => (branch: PipelineBuilder<unknown>) => (start === null ? branch : applyPath(start, meet, branch))),
          { name: node.id, queueSize: node.queueSize, maxFailures: limit(node.maxFailures ?? undefined) },
        ) as PipelineBuilder<unknown>;
      }
      default: {
        const { op, userModule } = createNodeOp(node, options.baseDir, catalog);
        if (userModule) userCode.push(userModule);
        const pipeOptions = nodePipeOptions(node);
        return upstream.pipe(op, { ...pipeOptions, maxFailures: limit(pipeOptions.maxFailures) }) as PipelineBuilder<unknown>;
      }
    }
  };

  /** The nodes of one path, from `start` up to where the route's paths meet; a nested route's paths are its own. */
  const applyPath = (start: string, meet: string, branch: PipelineBuilder<unknown>): PipelineBuilder<unknown> => {
    let continued = branch;
    for (let id = start; id !== meet; id = nodeById.get(id)!.kind === "route" ? routes.get(id)!.meet : outTo.get(id)!) {
      try {
        continued = applyTo(nodeById.get(id)!, continued);
      } catch (error) {
        throw error instanceof NodeBuildError ? error : new NodeBuildError(id, error);
      }
    }
    return continued;
  };

  // Depth first from the sink, inputs in edge order: a node is applied once all its inputs are.
  const sink = spec.nodes.find((node) => node.kind === "sink")!;
  const failed: SpecProblem[] = [];
  const stack: { id: string; inputsDone: boolean }[] = [{ id: sink.id, inputsDone: false }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    const feeding = feedingOf(entry.id);
    if (!entry.inputsDone) {
      stack.push({ id: entry.id, inputsDone: true });
      for (let index = feeding.length - 1; index >= 0; index--) stack.push({ id: feeding[index], inputsDone: false });
      continue;
    }
    // A node after one that failed has nothing to build on; the failure is said once.
    if (!feeding.every((id) => built.has(id))) continue;
    const node = nodeById.get(entry.id)!;
    try {
      if (node.kind === "source") built.set(entry.id, applySource(node));
      else {
        const upstreams = feeding.map((id) => built.get(id)!);
        built.set(entry.id, applyTo(node, upstreams.length === 1 ? upstreams[0] : merge(...upstreams)));
      }
    } catch (error) {
      const at = error instanceof NodeBuildError ? error.nodeId : entry.id;
      const cause = error instanceof NodeBuildError ? error.failure : error;
      failed.push({ path: `nodes[${indexById.get(at)}]`, message: cause instanceof Error ? cause.message : String(cause), nodeId: at });
    }
  }
  if (failed.length > 0) throw new SpecError(failed);
  return {
    builder: built.get(sink.id)!,
    buildOptions: {
      numThreads: spec.build.numThreads,
      ...(sink.consumer ? { consumer: sink.consumer } : {}),
      maxFailures: options.repeatSources ? perPassLimit(spec.build.maxFailures ?? undefined) : (spec.build.maxFailures ?? undefined),
      ...(spec.build.remote ? { remote: { redis: spec.build.remote.redis } } : {}),
    },
    userCode,
  };
}

/** A node on a path could not be built: the problem is its own, not its route's. */
class NodeBuildError extends Error {
  constructor(
    readonly nodeId: string,
    readonly failure: unknown,
  ) {
    super(failure instanceof Error ? failure.message : String(failure));
  }
}

function nodeContext(node: PipelineNode, baseDir: string): OpBuildContext {
  return { baseDir, runOn: node.runOn === "remote" ? null : node.runOn };
}

/** A source node's items, from its catalog op (the node is known to be runnable). */
export function createNodeSource(
  node: PipelineNode,
  baseDir: string,
  catalog: ReadonlyMap<string, OpDefinition> = builtinCatalog,
): Iterable<unknown> | AsyncIterable<unknown> {
  const op = catalog.get(node.op!) as SourceOpDefinition;
  return op.createSource(op.params.parse(node.params), nodeContext(node, baseDir));
}

/** A stage node's op; `userModule` names the user code it runs, if any. */
export function createNodeOp(
  node: PipelineNode,
  baseDir: string,
  catalog: ReadonlyMap<string, OpDefinition> = builtinCatalog,
): { op: Op<unknown, unknown>; userModule: string | null } {
  const op = catalog.get(node.op!) as StageOpDefinition;
  const params = op.params.parse(node.params);
  const userModule = op.name === "module" ? resolve(baseDir, String((params as { path?: unknown }).path)) : null;
  if (node.runOn === "remote") return { op: remoteOp(op, params, node.params, baseDir), userModule };
  return { op: op.createOp(params, nodeContext(node, baseDir)), userModule };
}

/** The engine's pipe options for a stage node. */
export function nodePipeOptions(node: PipelineNode): PipeOptions {
  return {
    name: node.id,
    concurrency: node.concurrency,
    outputOrder: node.outputOrder,
    queueSize: node.queueSize,
    maxFailures: node.maxFailures ?? undefined,
    timeoutMs: node.timeoutMs ?? undefined,
    retries: node.retries,
  };
}

/**
 * A count of failures allowed is meant for one pass over the source; with the source
 * repeating, failures would add up until any count is passed. A fraction still holds; a count
 * is lifted (the run is measured, not judged).
 */
function perPassLimit(maxFailures: number | undefined): number | undefined {
  return maxFailures !== undefined && !Number.isInteger(maxFailures) ? maxFailures : undefined;
}

async function* repeatSource(node: PipelineNode, baseDir: string, catalog: ReadonlyMap<string, OpDefinition>): AsyncGenerator<unknown> {
  for (;;) {
    let yielded = 0;
    for await (const item of createNodeSource(node, baseDir, catalog)) {
      yielded++;
      yield item;
    }
    if (yielded === 0) return;
  }
}
