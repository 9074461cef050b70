import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
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
/** The remote stages' Redis URL, when there are any. */
const REDIS = "redis";

/**
 * A runnable TypeScript (ESM) program that builds and runs the same pipeline as the file: catalog
 * ops by name with every param written out, node ids as stage names, merges as merge(), the build
 * settings, then a loop that counts the items and prints the stats table. Remote stages stay
 * remote: user code as remoteTask(), a catalog op through stageOp's runOn "remote", and the
 * pipeline's Redis from PIPELINE_STUDIO_REDIS over the file's, as `pipeline-studio run` takes it.
 */
export function exportTypeScript(spec: PipelineFile, options: ExportOptions): string {
  const plan = runnablePlan(spec, options);
  const baseDir = resolve(options.baseDir);
  const taken = new Set([
    "PipelineBuilder",
    "formatSummary",
    "merge",
    "sourceOp",
    "stageOp",
    "remoteTask",
    FOLDER,
    "pipeline",
    "delivered",
    REDIS,
  ]);
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
        for (const node of chain.steps) lines.push(`.${stepCall(node, plan.paths, baseDir)}`);
        if (branchOf) branchDeclarations.push(statement(`const ${branchNames.get(chain)!} = `, lines));
        return lines;
      },
    });

  const sink = plan.sink;
  const remoteNodes = nodesOf(plan.chain, plan.paths).filter((node) => node.runOn === "remote");
  const buildOptions: Record<string, unknown> = { numThreads: spec.build.numThreads };
  if (spec.build.maxFailures !== null) buildOptions.maxFailures = spec.build.maxFailures;
  // The Redis is a variable of the program (the environment's, else the file's), not a literal.
  const buildArgument =
    remoteNodes.length > 0 ? `{ ${tsValue(buildOptions).slice(2, -2)}, remote: { redis: ${REDIS} } }` : tsValue(buildOptions);
  const pipelineLines = [...chainLines(plan.chain), `.addSink(${tsValue(sink.queueSize)})`, `.build(${buildArgument})`];
  const pipelineStatement = statement("const pipeline = ", pipelineLines);

  const userModules = nodesOf(plan.chain, plan.paths)
    .filter((node) => node.op === "module")
    .map((node) => moduleFile(node, baseDir));
  const usesRemoteTask = remoteNodes.some((node) => node.op === "module");
  const imports = [
    "PipelineBuilder",
    "formatSummary",
    ...(usesMerge ? ["merge"] : []),
    ...(usesRemoteTask ? ["remoteTask"] : []),
    "sourceOp",
    "stageOp",
  ];

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
    ...redisLines(remoteNodes, spec.build.remote?.redis ?? null),
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

/** The remote stages' Redis as `pipeline-studio run` takes it: PIPELINE_STUDIO_REDIS, else the file's (none: the program says what to set). */
function redisLines(remoteNodes: PipelineNode[], fileRedis: string | null): string[] {
  if (remoteNodes.length === 0) return [];
  const names = remoteNodes.map((node) => `'${node.id}'`).join(", ");
  const verb = remoteNodes.length === 1 ? "runs" : "run";
  return [
    tsComment(`${names} ${verb} on remote workers (BullMQ on Redis): start them on any machine with`),
    "// `npx pipeline-studio worker --redis <the Redis URL>` (user code at the same path under its --root).",
    "// As `pipeline-studio run` does, PIPELINE_STUDIO_REDIS names their Redis over the file's.",
    ...(fileRedis === null
      ? [
          `const ${REDIS} = process.env.PIPELINE_STUDIO_REDIS;`,
          `if (!${REDIS}) throw new Error(${tsString(`${names} ${verb} on remote workers: set PIPELINE_STUDIO_REDIS to their Redis (redis://[:password@]host:port)`)});`,
        ]
      : [`const ${REDIS} = process.env.PIPELINE_STUDIO_REDIS ?? ${tsString(fileRedis)};`]),
    "",
  ];
}

function stepCall(node: PipelineNode, paths: RoutePaths, baseDir: string): string {
  switch (node.kind) {
    case "route": {
      const options: Record<string, unknown> = { name: node.id, queueSize: node.queueSize };
      if (node.maxFailures !== null) options.maxFailures = node.maxFailures;
      const arrows = paths.get(node.id)!.map((path) => `${pathArrow(path, paths, baseDir)},`);
      return call("pathVariants", [
        catalogStageOp(node, baseDir, "<unknown, number>"),
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
      const stage = catalogStageOp(node, baseDir);
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

interface ModuleParams {
  path: string;
  export: string;
  args: Record<string, unknown>;
}

/** User code on remote workers: its module by file URL, rooted at the pipeline file's folder (workers find it under their --root). */
function remoteModuleTask({ path, export: exportName, args }: ModuleParams, baseDir: string): string {
  const moduleUrl = pathToFileURL(resolve(baseDir, path)).href;
  return `remoteTask(new URL(${tsString(moduleUrl)}), ${tsString(exportName)}, ${tsValue(args)}, { root: ${FOLDER}.baseDir })`;
}

/** A stage's or a route's op, every param written out (user code on remote workers: a remoteTask). */
function catalogStageOp(node: PipelineNode, baseDir: string, typeArguments = ""): string {
  const op = catalog.get(node.op!)!;
  if (node.runOn === "remote" && op.name === "module") return remoteModuleTask(op.params.parse(node.params) as ModuleParams, baseDir);
  const opOptions = node.runOn === null ? FOLDER : `{ ...${FOLDER}, runOn: ${tsString(node.runOn)} }`;
  return `stageOp${typeArguments}(${tsString(op.name)}, ${tsValue(op.params.parse(node.params))}, ${opOptions})`;
}

/** One path of a route: `(branch) => branch.pipe(…)…`, on one line when it is short. */
function pathArrow(path: readonly PipelineNode[], paths: RoutePaths, baseDir: string): string {
  const calls = path.map((node) => `.${stepCall(node, paths, baseDir)}`);
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
