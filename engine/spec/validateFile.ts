import { catalog as builtinCatalog } from "../ops/index.js";
import type { OpDefinition } from "../ops/catalog.js";
import { checkGraph } from "./graph.js";
import { checkOps, checkRouterPaths } from "./checkOps.js";
import { judgeableGraph, judgeableOpNodes, type GraphShape } from "./judgeable.js";
import { checkRoutes } from "./routes.js";
import { parseFileParts } from "./parse.js";
import type { SpecProblem } from "./problems.js";
import type { PipelineFile } from "./schema.js";

export interface RunnableCheckOptions {
  catalog?: ReadonlyMap<string, OpDefinition>;
  /** The file's folder: given, what params name on disk is checked too (as a run would find it). */
  baseDir?: string;
}

/** What stops a structurally valid file from running: graph shape, ops and their params (and, with baseDir, their files). */
export function checkRunnable(spec: PipelineFile, options: RunnableCheckOptions = {}): SpecProblem[] {
  const catalog = options.catalog ?? builtinCatalog;
  return [...checkShape(spec), ...checkOps(spec.nodes, catalog, options.baseDir), ...checkRouterPaths(spec, catalog)];
}

/** The graph's rules, then (once they hold) where its routes' paths run and meet. */
function checkShape(graph: GraphShape): SpecProblem[] {
  const problems = checkGraph(graph);
  return problems.length > 0 ? problems : checkRoutes(graph);
}

export interface ValidationResult {
  /** The file with defaults filled in, when its structure is valid. */
  spec: PipelineFile | undefined;
  /** Everything wrong, structural problems first; empty when the file can run. */
  problems: SpecProblem[];
}

/**
 * Everything `pipeline-studio validate` checks, all at once: when the schema refuses the file,
 * the graph and op checks still judge the parts they can read (the graph needs every node's id
 * and kind and every edge; an op check needs its node's kind, op and params).
 */
export function validatePipelineFile(raw: unknown, options: RunnableCheckOptions = {}): ValidationResult {
  const parsed = parseFileParts(raw);
  if (parsed.spec) return { spec: parsed.spec, problems: checkRunnable(parsed.spec, options) };
  if (!parsed.value) return { spec: undefined, problems: parsed.problems };
  const graph = judgeableGraph(parsed.value);
  const later = [
    ...(graph ? checkShape(graph) : []),
    ...checkOps(judgeableOpNodes(parsed.value), options.catalog ?? builtinCatalog, options.baseDir),
  ];
  return { spec: undefined, problems: withNodeIds([...parsed.problems, ...later], parsed.value) };
}

/** Schema problems inside a node name the node too, so the app can mark it on the canvas. */
function withNodeIds(problems: SpecProblem[], file: Record<string, unknown>): SpecProblem[] {
  const nodes = Array.isArray(file.nodes) ? (file.nodes as unknown[]) : [];
  return problems.map((problem) => {
    if (problem.nodeId !== undefined) return problem;
    const index = /^nodes\[(\d+)\]/.exec(problem.path)?.[1];
    const id = index === undefined ? undefined : (nodes[Number(index)] as { id?: unknown } | undefined)?.id;
    return typeof id === "string" && id !== "" ? { ...problem, nodeId: id } : problem;
  });
}
