import type { z } from "zod";
import type { OpDefinition } from "../ops/catalog.js";
import { aggregateParamsSchema, noParamsSchema } from "./nodeParams.js";
import { problemsFromIssues, showValue, type SpecProblem } from "./problems.js";
import type { OpNode } from "./judgeable.js";

/** Names longer than this get no "did you mean": the edit distance costs their length times each candidate's. */
const SUGGESTION_MAX_LENGTH = 64;

/**
 * Each node's op exists and suits its kind, and its params fit the op's schema; with `baseDir`,
 * what the params name on disk is there too (a `files` folder, a `module` file). Null nodes
 * (unreadable) are skipped.
 */
export function checkOps(nodes: readonly (OpNode | null)[], catalog: ReadonlyMap<string, OpDefinition>, baseDir?: string): SpecProblem[] {
  const problems: SpecProblem[] = [];
  nodes.forEach((node, index) => {
    if (!node) return;
    const at = `nodes[${index}]`;
    const problem = (path: string, message: string) => problems.push({ path: `${at}${path}`, message, nodeId: node.id });
    if (node.kind === "source" || node.kind === "stage" || node.kind === "route") {
      const opKind = node.kind === "source" ? "source" : "stage";
      if (node.op === null)
        return problem(
          ".op",
          node.kind === "route"
            ? `a route needs a router op (${routerNames(catalog)}: user code returning a path index)`
            : `a ${node.kind} needs an op (${namesOfKind(catalog, opKind)})`,
        );
      const op = catalog.get(node.op);
      if (!op)
        return problem(
          ".op",
          `unknown op ${showValue(node.op)}${suggestion(node.op, catalog)} (${node.kind === "source" ? "sources" : node.kind === "route" ? "routers" : "stage ops"}: ${node.kind === "route" ? routerNames(catalog) : namesOfKind(catalog, opKind)})`,
        );
      if (op.kind !== opKind) {
        return problem(
          ".op",
          op.kind === "source"
            ? `"${op.name}" is a source op; ${article(node.kind)} needs one of ${node.kind === "route" ? routerNames(catalog) : namesOfKind(catalog, "stage")}`
            : `"${op.name}" is a stage op; a source needs one of ${namesOfKind(catalog, "source")}`,
        );
      }
      if (node.kind === "route" && op.kind === "stage" && !op.router && op.name !== "module")
        return problem(
          ".op",
          `"${op.name}" does not pick a path; a route needs a router op (${routerNames(catalog)}: user code returning a path index)`,
        );
      if (node.kind === "stage" && op.kind === "stage" && op.router)
        return problem(".op", `"${op.name}" picks a path for each item; use it in a route node, not a stage`);
      const params = paramProblems(node, op.params, `${at}.params`);
      problems.push(...params.problems);
      if (params.problems.length === 0 && baseDir !== undefined && op.checkResources) {
        for (const missing of op.checkResources(params.value, { baseDir, runOn: node.runOn === "remote" ? null : node.runOn }))
          problem(`.params.${missing.param}`, missing.message);
      }
      if (node.kind === "source" && node.runOn !== null) problem(".runOn", `a source runs in the pipeline's process; runOn is for stages`);
      else if ((node.runOn === "pool" || node.runOn === "loop") && op.name !== "module")
        problem(
          ".runOn",
          `only user code (op "module") can choose "pool" or "loop"; "${op.name}" runs ${describeExecution(op)} (or "remote", on worker processes)`,
        );
      return;
    }
    if (node.op !== null) problem(".op", `${article(node.kind)} takes no op, got ${showValue(node.op)}`);
    if (node.runOn !== null) problem(".runOn", `only stages with an op can choose where they run`);
    problems.push(...paramProblems(node, node.kind === "aggregate" ? aggregateParamsSchema : noParamsSchema, `${at}.params`).problems);
  });
  return problems;
}

/** A router op that knows how many paths its params send items to (routeBy) needs at least that many. */
export function checkRouterPaths(
  spec: { nodes: readonly OpNode[]; edges: readonly { from: string; path?: number }[] },
  catalog: ReadonlyMap<string, OpDefinition>,
): SpecProblem[] {
  const problems: SpecProblem[] = [];
  spec.nodes.forEach((node, index) => {
    const op = node.kind === "route" && node.op !== null ? catalog.get(node.op) : undefined;
    if (op?.kind !== "stage" || !op.routes) return;
    const parsed = op.params.safeParse(node.params);
    const paths = spec.edges.filter((edge) => edge.from === node.id && edge.path !== undefined).length;
    if (!parsed.success || paths < 2) return;
    const needed = op.routes(parsed.data);
    if (needed > paths)
      problems.push({
        path: `nodes[${index}].params`,
        message: `${op.name} sends items down ${needed} paths (0 to ${needed - 1}), but route ${showValue(node.id)} has ${paths}; connect more paths or change its params`,
        nodeId: node.id,
      });
  });
  return problems;
}

function paramProblems(node: OpNode, schema: z.ZodType, prefix: string): { problems: SpecProblem[]; value?: unknown } {
  const parsed = schema.safeParse(node.params, { reportInput: true });
  if (parsed.success) return { problems: [], value: parsed.data };
  const known = knownKeys(schema);
  return {
    problems: problemsFromIssues(parsed.error.issues).map((problem) => ({
      path: problem.path === "$" ? prefix : `${prefix}.${problem.path}`,
      message:
        problem.message === "unknown field"
          ? `unknown parameter (${known.length > 0 ? `known: ${known.join(", ")}` : "this node takes none"})`
          : problem.message,
      nodeId: node.id,
    })),
  };
}

function knownKeys(schema: z.ZodType): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

function namesOfKind(catalog: ReadonlyMap<string, OpDefinition>, kind: "source" | "stage"): string {
  return [...catalog.values()]
    .filter((op) => op.kind === kind)
    .map((op) => op.name)
    .join(", ");
}

/** The ops a route node may use: the catalog's routers, and user code (whose export returns the path index). */
function routerNames(catalog: ReadonlyMap<string, OpDefinition>): string {
  const routers = [...catalog.values()].filter((op) => op.kind === "stage" && op.router).map((op) => op.name);
  return [...routers, ...(catalog.has("module") ? ["module"] : [])].join(", ");
}

function describeExecution(op: OpDefinition): string {
  return op.execution === "pool" ? "on the worker pool" : op.execution === "own-threads" ? "on its own threads" : "on the event loop";
}

function article(kind: string): string {
  return /^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}

/** "did you mean …" for a near miss (edit distance ≤ 2). */
function suggestion(name: string, catalog: ReadonlyMap<string, OpDefinition>): string {
  if (name.length > SUGGESTION_MAX_LENGTH) return "";
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of catalog.keys()) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best ? `; did you mean "${best}"?` : "";
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}
