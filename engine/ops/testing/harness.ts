/** Runs catalog ops through the real engine for the ops' tests (not part of the package's API). */
import type { PipeOptions } from "../../config.js";
import { PipelineBuilder, type Op, type Pipeline } from "../../index.js";
import { problemsFromIssues, type SpecProblem } from "../../spec/problems.js";
import type { OpBuildContext, OpDefinition, StageOpDefinition } from "../catalog.js";

export function buildContext(baseDir: string = process.cwd(), runOn: OpBuildContext["runOn"] = null): OpBuildContext {
  return { baseDir, runOn };
}

/** What a pipeline file with these params would be told, as the spec checker reports it (paths under "params"). */
export function paramProblems(definition: OpDefinition, params: Record<string, unknown>): SpecProblem[] {
  const parsed = definition.params.safeParse(params, { reportInput: true });
  return parsed.success ? [] : problemsFromIssues(parsed.error.issues, ["params"]);
}

/** Validates params the way a pipeline file's would be, then builds the op. */
export function createStageOp<P>(
  definition: StageOpDefinition<P>,
  params: Record<string, unknown> = {},
  context: OpBuildContext = buildContext(),
): Op<unknown, unknown> {
  return definition.createOp(definition.params.parse(params), context);
}

export interface RunOptions {
  context?: OpBuildContext;
  pipe?: PipeOptions;
  numThreads?: number;
}

export interface RunResult {
  outputs: unknown[];
  pipeline: Pipeline<unknown>;
}

/** items → one stage of the op → sink; collects the outputs (completion order unless pipe says otherwise). */
export async function runStage<P>(
  definition: StageOpDefinition<P>,
  params: Record<string, unknown>,
  items: Iterable<unknown> | AsyncIterable<unknown>,
  options: RunOptions = {},
): Promise<RunResult> {
  const op = createStageOp(definition, params, options.context);
  return runOps([[op, options.pipe ?? {}]], items, options.numThreads);
}

/** items → each op in turn → sink. */
export async function runOps(
  stages: Array<[Op<unknown, unknown>, PipeOptions]>,
  items: Iterable<unknown> | AsyncIterable<unknown>,
  numThreads = 2,
): Promise<RunResult> {
  let builder: PipelineBuilder<unknown> = new PipelineBuilder().addSource(items);
  for (const [op, pipeOptions] of stages) {
    // The catalog's ops are typed as a union of op kinds; the builder's overloads want one kind.
    builder = builder.pipe(op as (item: unknown) => Promise<unknown>, pipeOptions);
  }
  const pipeline = builder.addSink(4).build({ numThreads });
  const outputs: unknown[] = [];
  for await (const item of pipeline) outputs.push(item);
  return { outputs, pipeline };
}
