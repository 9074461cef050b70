import { ConfigError } from "../errors.js";
import { isPoolTask, remoteCatalogTask, remoteTask, type Op, type RemoteTask } from "../opTypes.js";
import { formatProblem } from "../spec/problems.js";
import { problemsFromIssues } from "../spec/problems.js";
import type { OpBuildContext, OpDefinition, StageOpDefinition } from "./catalog.js";
import { catalog } from "./index.js";

export interface CatalogOpOptions {
  /** Relative paths in params resolve against this folder (default: the working directory). */
  baseDir?: string;
  /** User code only: "loop" runs the module on the event loop instead of the worker pool. Any op: "remote" runs it on remote workers. */
  runOn?: "pool" | "loop" | "remote";
}

/**
 * A catalog source by name, for programs: `addSource(sourceOp("range", { count: 100 }))`.
 * What the app and the CLI run from a pipeline file, a program can run the same way.
 */
export function sourceOp(
  name: string,
  params: Record<string, unknown> = {},
  options: CatalogOpOptions = {},
): Iterable<unknown> | AsyncIterable<unknown> {
  const op = lookup(name, "source");
  if (op.kind !== "source") throw new ConfigError(`sourceOp: "${name}" is a stage op, not a source`);
  return op.createSource(checkedParams(op, params), buildContext(options));
}

/** A catalog stage op by name, for programs: `pipe(stageOp("sleep", { ms: 20 }), { concurrency: 4 })`. */
export function stageOp<I = unknown, O = unknown>(
  name: string,
  params: Record<string, unknown> = {},
  options: CatalogOpOptions = {},
): Op<I, O> {
  const op = lookup(name, "stage");
  if (op.kind !== "stage") throw new ConfigError(`stageOp: "${name}" is a source, not a stage op`);
  const checked = checkedParams(op, params);
  if (options.runOn === "remote") return remoteOp(op, checked, params, options.baseDir ?? process.cwd()) as Op<I, O>;
  return op.createOp(checked, buildContext(options)) as Op<I, O>;
}

/**
 * A catalog op whose calls run on remote workers: user code becomes a module task rooted at the
 * pipeline's folder (workers resolve the same relative path under their --root); any other op
 * travels by name and params, and each worker builds it from its own catalog.
 */
export function remoteOp(
  op: StageOpDefinition<unknown>,
  checkedParams: unknown,
  rawParams: Record<string, unknown>,
  baseDir: string,
): RemoteTask {
  if (op.name !== "module") return remoteCatalogTask(op.name, rawParams);
  const local = op.createOp(checkedParams, { baseDir, runOn: "pool" });
  if (!isPoolTask(local)) throw new ConfigError(`${op.name}: cannot run remote`);
  return remoteTask(local.moduleUrl, local.exportName, local.params, { root: baseDir });
}

function lookup(name: string, kind: "source" | "stage"): OpDefinition {
  const op = catalog.get(name);
  if (!op) {
    const names = [...catalog.values()].filter((candidate) => candidate.kind === kind).map((candidate) => candidate.name);
    throw new ConfigError(`${kind}Op: unknown op "${name}" (${kind === "source" ? "sources" : "stage ops"}: ${names.join(", ")})`);
  }
  return op;
}

function checkedParams(op: OpDefinition, params: Record<string, unknown>): unknown {
  const parsed = op.params.safeParse(params, { reportInput: true });
  if (parsed.success) return parsed.data;
  const problems = problemsFromIssues(parsed.error.issues, ["params"]).map(formatProblem);
  throw new ConfigError(`${op.name}: ${problems.join("; ")}`);
}

function buildContext(options: CatalogOpOptions): OpBuildContext {
  return { baseDir: options.baseDir ?? process.cwd(), runOn: options.runOn === "remote" ? null : (options.runOn ?? null) };
}
