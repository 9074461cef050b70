import { resolve } from "node:path";
import { catalog } from "../../ops/index.js";
import { aggregateParamsSchema } from "../nodeParams.js";
import type { PipelineFile, PipelineNode } from "../schema.js";
import { originLines, runnablePlan, type ExportOptions } from "./common.js";
import { lastNodeOf, nodesOf, walkChains, type Chain, type RoutePaths } from "./graphWalk.js";
import { tsIdentifier } from "./identifiers.js";
import { tsComment, tsString, tsValue } from "./typescriptSyntax.js";

const LINE_WIDTH = 110;
const INDENT = "  ";
/** The folder constant every sourceOp/stageOp call receives. */
const FOLDER = "atFileFolder";

/**
 * A runnable TypeScript (ESM) program that builds and runs the same pipeline as the file: catalog
 * ops by name with every param written out, node ids as stage names, merges as merge(), the build
 * settings, then a loop that counts the items and prints the stats table.
 */
export function exportTypeScript(spec: PipelineFile, options: ExportOptions): string {
  const plan = runnablePlan(spec, options);
  const baseDir = resolve(options.baseDir);
  const taken = new Set(["PipelineBuilder", "formatSummary", "merge", "sourceOp", "stageOp", FOLDER, "pipeline", "delivered"]);
  const branchDeclarations: string[] = [];
  let usesMerge = false;

  // Each merged branch becomes a constant, declared before the chain that merges it.
  const branchNames = new Map<Chain, string>();
  const chainLines = (root: Chain): string[] =>
    walkChains<string[]>(root, {
      enter: (chain, branchOf) => {
        if (branchOf) branchNames.set(chain, tsIdentifier(lastNodeOf(chain)?.id ?? "branch", taken, "branch"));
      },
      leave: (chain, _branchLines, branchOf) => {
        const lines: string[] = [];
        if (chain.start.kind === "source") {
          lines.push("new PipelineBuilder()", `.${sourceCall(chain.start.source)}`);
        } else {
          usesMerge = true;
          lines.push(`merge(${chain.start.branches.map((branch) => branchNames.get(branch)!).join(", ")})`);
        }
        for (const node of chain.steps) lines.push(`.${stepCall(node, plan.paths)}`);
        if (branchOf) branchDeclarations.push(statement(`const ${branchNames.get(chain)!} = `, lines));
        return lines;
      },
    });

  const sink = plan.sink;
  const buildOptions: Record<string, unknown> = { numThreads: spec.build.numThreads };
  if (spec.build.maxFailures !== null) buildOptions.maxFailures = spec.build.maxFailures;
  const pipelineLines = [...chainLines(plan.chain), `.addSink(${tsValue(sink.queueSize)})`, `.build(${tsValue(buildOptions)})`];
  const pipelineStatement = statement("const pipeline = ", pipelineLines);

  const userModules = nodesOf(plan.chain, plan.paths)
    .filter((node) => node.op === "module")
    .map((node) => moduleFile(node, baseDir));
  const imports = ["PipelineBuilder", "formatSummary", ...(usesMerge ? ["merge"] : []), "sourceOp", "stageOp"];

  return [
    ...originLines(spec, options, "TypeScript", tsString).map(tsComment),
    "// Every op parameter is written out, defaults included, so the program keeps doing what the file",
    "// did even if a default changes. Compile it as an ES module (module nodenext) and run it with node",
    "// where the pipeline-studio package can be imported.",
    ...(userModules.length > 0 ? ["//", tsComment(`It runs user code: ${userModules.join(", ")}.`)] : []),
    "",
    `import { ${imports.join(", ")} } from "pipeline-studio/engine";`,
    "",
    "// Relative paths in op params resolve against the pipeline file's folder, as when the file runs",
    "// in Pipeline Studio, so this program gives the same result from any working directory.",
    `const ${FOLDER} = { baseDir: ${tsString(baseDir)} };`,
    "",
    ...branchDeclarations.flatMap((declaration) => [declaration, ""]),
    pipelineStatement,
    "",
    "let delivered = 0;",
    "for await (const _item of pipeline) delivered++;",
    "console.log(`Delivered ${delivered} items`);",
    "console.log(formatSummary(pipeline.stats()));",
    "",
  ].join("\n");
}

function sourceCall(node: PipelineNode): string {
  const op = catalog.get(node.op!)!;
  return call("addSource", [
    `sourceOp(${tsString(op.name)}, ${tsValue(op.params.parse(node.params))}, ${FOLDER})`,
    tsValue(node.repeat ? { name: node.id, repeat: true } : { name: node.id }),
  ]);
}

function stepCall(node: PipelineNode, paths: RoutePaths): string {
  switch (node.kind) {
    case "route": {
      const options: Record<string, unknown> = { name: node.id, queueSize: node.queueSize };
      if (node.maxFailures !== null) options.maxFailures = node.maxFailures;
      const arrows = paths.get(node.id)!.map((path) => `${pathArrow(path, paths)},`);
      return call("pathVariants", [
        catalogStageOp(node, "<unknown, number>"),
        ["[", ...arrows.map(indentText), "]"].join("\n"),
        tsValue(options),
      ]);
    }
    case "aggregate": {
      const { size, dropLast } = aggregateParamsSchema.parse(node.params);
      return call("aggregate", [tsValue(size), tsValue({ dropLast, name: node.id, queueSize: node.queueSize })]);
    }
    case "disaggregate":
      return call("disaggregate", [tsValue({ name: node.id, queueSize: node.queueSize })]);
    default: {
      const stage = catalogStageOp(node);
      const pipeOptions: Record<string, unknown> = {
        name: node.id,
        concurrency: node.concurrency,
        outputOrder: node.outputOrder,
        queueSize: node.queueSize,
        retries: node.retries,
      };
      // Left out when unset: the engine's "no limit" is the option's absence.
      if (node.maxFailures !== null) pipeOptions.maxFailures = node.maxFailures;
      if (node.timeoutMs !== null) pipeOptions.timeoutMs = node.timeoutMs;
      return call("pipe", [stage, tsValue(pipeOptions)]);
    }
  }
}

/** A stage's or a route's catalog op, every param written out. */
function catalogStageOp(node: PipelineNode, typeArguments = ""): string {
  const op = catalog.get(node.op!)!;
  const opOptions = node.runOn === null ? FOLDER : `{ ...${FOLDER}, runOn: ${tsString(node.runOn)} }`;
  return `stageOp${typeArguments}(${tsString(op.name)}, ${tsValue(op.params.parse(node.params))}, ${opOptions})`;
}

/** One path of a route: `(branch) => branch.pipe(…)…`, on one line when it is short. */
function pathArrow(path: readonly PipelineNode[], paths: RoutePaths): string {
  const calls = path.map((node) => `.${stepCall(node, paths)}`);
  const oneLine = `(branch) => branch${calls.join("")}`;
  if (!oneLine.includes("\n") && 3 * INDENT.length + oneLine.length <= LINE_WIDTH) return oneLine;
  return ["(branch) =>", indentText(["branch", ...calls.map(indentText)].join("\n"))].join("\n");
}

/** Every line of `text` indented one step. */
function indentText(text: string): string {
  return text
    .split("\n")
    .map((line) => `${INDENT}${line}`)
    .join("\n");
}

function moduleFile(node: PipelineNode, baseDir: string): string {
  const path = (catalog.get("module")!.params.parse(node.params) as { path: string }).path;
  return path === "" ? `(node ${tsString(node.id)} has no module chosen yet)` : resolve(baseDir, path);
}

/** A method call on one line, or with one argument per line when that line would be too long to read. */
function call(method: string, args: string[]): string {
  const oneLine = `${method}(${args.join(", ")})`;
  if (!oneLine.includes("\n") && INDENT.length + 1 + oneLine.length <= LINE_WIDTH) return oneLine;
  return [`${method}(`, ...args.map((arg) => `${indentText(arg)},`), ")"].join("\n");
}

/** `prefix` + the first line, then each later line of a call chain indented, ending with a semicolon. */
function statement(prefix: string, lines: string[]): string {
  const [first, ...rest] = lines;
  return [`${prefix}${first}`, ...rest.map(indentText)].join("\n") + ";";
}
