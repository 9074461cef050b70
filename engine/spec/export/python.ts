import { resolve } from "node:path";
import { catalog } from "../../ops/index.js";
import { aggregateParamsSchema } from "../nodeParams.js";
import { DEFAULT_QUEUE_SIZE } from "../../config.js";
import type { PipelineFile, PipelineNode } from "../schema.js";
import { originLines, runnablePlan, type ExportOptions } from "./common.js";
import { lastNodeOf, nodesOf, walkChains, type Chain } from "./graphWalk.js";
import { pyIdentifier } from "./identifiers.js";
import { pyComment, pyNumber, pyString, pyValue, PYTHON_ENCODING_LINES } from "./pythonSyntax.js";
import { helperNames, PYTHON_HELPERS, pythonOps, type PythonOpContext } from "./pythonOps.js";

const INDENT = "    ";
/** SPDL's names for what the program imports from it. */
const SPDL_DEFS = ["Aggregate", "Disaggregate", "Merge", "PathVariants", "Pipe", "PipelineConfig", "SinkConfig", "SourceConfig"];
const STDLIB_MODULES = ["asyncio", "base64", "gzip", "hashlib", "json", "math", "pathlib", "random", "sys", "time", "urllib"];

/**
 * An SPDL program (Python) that does what the file does. A chain prints as SPDL's
 * PipelineBuilder; SPDL's builder cannot merge, so a file with a merge prints as
 * spdl.pipeline.defs configs (Merge of PipelineConfigs) built by build_pipeline(). Settings SPDL
 * has no counterpart for are written as comments on the line they belong to.
 */
export function exportPython(spec: PipelineFile, options: ExportOptions): string {
  const plan = runnablePlan(spec, options);
  const baseDir = resolve(options.baseDir);
  const nodes = [...nodesOf(plan.chain, plan.paths), plan.sink];
  const routes = nodes.filter((node) => node.kind === "route");
  // With no fan-out, any merge sits at the start of the chain that feeds the sink.
  const usesMerge = plan.chain.start.kind === "merge";
  const taken = new Set([
    ...STDLIB_MODULES,
    ...SPDL_DEFS,
    ...helperNames(),
    "PipelineBuilder",
    "build_pipeline",
    "Fraction",
    "BASE_DIR",
    "main",
    "pipeline",
    "config",
    "delivered",
    "limit",
    "in_pass",
  ]);

  // One function per node, not per op: two nodes with the same op differ in params, and a seeded op in its state.
  const functionNames = new Map<string, string>();
  const definitions: string[] = [];
  const helpers: string[] = [];
  const needHelper = (name: string): void => {
    if (helpers.includes(name)) return;
    const helper = PYTHON_HELPERS.get(name);
    if (!helper) throw new Error(`pythonOps names a helper "${name}" that PYTHON_HELPERS lacks`);
    helper.uses.forEach(needHelper);
    helpers.push(name);
  };
  let usesFraction = false;

  const contextOf = (node: PipelineNode): PythonOpContext => ({ baseDir, node });
  const paramsOf = (node: PipelineNode): Record<string, unknown> =>
    catalog.get(node.op!)!.params.parse(node.params) as Record<string, unknown>;

  const opMapping = (node: PipelineNode) => {
    const mapping = pythonOps.get(node.op!);
    mapping?.helpers.forEach(needHelper);
    return mapping;
  };

  /** Params the mapping does not carry, shown where the op appears so nothing is dropped silently. */
  const unported = (node: PipelineNode, known: readonly string[]): string[] =>
    Object.entries(paramsOf(node))
      .filter(([key]) => !known.includes(key))
      .map(([key, value]) => `${key}=${pyValue(value)}`);

  const sourceExpression = (node: PipelineNode): { expression: string; note: string } => {
    const mapping = opMapping(node);
    if (!mapping || mapping.kind !== "source") {
      return { expression: "[]", note: `no Python counterpart for the ${pyString(node.op!)} source yet: port it by hand` };
    }
    const missing = unported(node, mapping.params);
    return {
      expression: mapping.iterable(paramsOf(node), contextOf(node)),
      note: missing.length > 0 ? `not ported: ${missing.join(", ")}` : "",
    };
  };

  // In pipeline order, so helpers are defined in the order the pipeline first uses them.
  const sources = new Map<string, { expression: string; note: string }>();
  for (const node of nodes) {
    if (node.kind === "source") sources.set(node.id, sourceExpression(node));
    if (node.kind !== "stage" && node.kind !== "route") continue;
    const name = pyIdentifier(node.id, taken, "", node.kind);
    functionNames.set(node.id, name);
    const mapping = opMapping(node);
    if (!mapping || mapping.kind !== "stage") {
      definitions.push(
        [
          pyComment(`No Python counterpart for the ${pyString(node.op!)} op yet: port it by hand.`),
          `def ${name}(item):`,
          `${INDENT}raise NotImplementedError(${pyString(`port the ${node.op} op to Python`)})`,
        ].join("\n"),
      );
      continue;
    }
    const missing = unported(node, mapping.params);
    const note = missing.length > 0 ? [pyComment(`Not ported (no Python counterpart here): ${missing.join(", ")}`)] : [];
    definitions.push([...note, mapping.define(name, paramsOf(node), contextOf(node))].join("\n"));
  }
  const needsBaseDir = helpers.some((name) => PYTHON_HELPERS.get(name)!.usesBaseDir);

  const maxFailuresArgument = (value: number): string => {
    if (Number.isInteger(value)) return pyNumber(value);
    usesFraction = true;
    return `Fraction(${pyString(String(value))})`;
  };

  /** What a node sets that SPDL has no parameter for; its queue of 2 is SPDL's own. */
  const studioOnly = (node: PipelineNode): string[] => {
    const notes: string[] = [];
    if (node.queueSize !== DEFAULT_QUEUE_SIZE) notes.push(`queueSize ${node.queueSize}`);
    if (node.timeoutMs !== null) notes.push(`timeoutMs ${node.timeoutMs}`);
    if (node.retries > 0) notes.push(`retries ${node.retries}`);
    if (node.runOn === "remote") notes.push(`runOn "remote" (runs in this process: SPDL has no BullMQ executor)`);
    else if (node.runOn !== null) notes.push(`runOn ${pyString(node.runOn)}`);
    return notes;
  };
  const withComment = (code: string, notes: string[]): string => (notes.length > 0 ? `${code}  ${pyComment(notes.join("; "))}` : code);
  const nodeLabel = (node: PipelineNode): string => `node ${pyString(node.id)}`;
  const notInSpdl = (node: PipelineNode): string[] => {
    const notes = studioOnly(node);
    return notes.length > 0 ? [`not in SPDL: ${notes.join(", ")}`] : [];
  };

  const pipeArguments = (node: PipelineNode): string => {
    const args = [
      functionNames.get(node.id)!,
      `concurrency=${pyNumber(node.concurrency)}`,
      `name=${pyString(node.id)}`,
      `output_order=${pyString(node.outputOrder)}`,
    ];
    if (node.maxFailures !== null) args.push(`max_failures=${maxFailuresArgument(node.maxFailures)}`);
    return args.join(", ");
  };

  const buildArguments = (): string => {
    const args = [`num_threads=${pyNumber(spec.build.numThreads)}`];
    if (spec.build.maxFailures !== null) args.push(`max_failures=${maxFailuresArgument(spec.build.maxFailures)}`);
    return args.join(", ");
  };

  /** A repeating source is SPDL's continuous one (SPDL refuses a pipeline whose sources disagree). */
  const continuous = (node: PipelineNode): string => (node.repeat ? ", continuous=True" : "");
  const repeats = nodes.some((node) => node.kind === "source" && node.repeat);

  /** A node inside a config list (a merge's pipes, a route's paths): SPDL's config objects. */
  const pipeConfig = (node: PipelineNode): string => {
    if (node.kind === "aggregate") {
      const { size, dropLast } = aggregateParamsSchema.parse(node.params);
      return withComment(`Aggregate(${pyNumber(size)}, drop_last=${dropLast ? "True" : "False"}),`, [
        `${nodeLabel(node)}: SPDL names it itself`,
        ...notInSpdl(node),
      ]);
    }
    if (node.kind === "disaggregate")
      return withComment("Disaggregate(),", [`${nodeLabel(node)}: SPDL names it itself`, ...notInSpdl(node)]);
    return withComment(`Pipe(${pipeArguments(node)}),`, notInSpdl(node));
  };

  /** What a route sets that SPDL's router has no parameter for (it has no failure budget: a router error fails SPDL's pipeline). */
  const routeNotes = (node: PipelineNode): string[] => {
    const notes = studioOnly(node);
    if (node.maxFailures !== null) notes.push(`maxFailures ${pyValue(node.maxFailures)}`);
    return notes.length > 0 ? [`not in SPDL: ${notes.join(", ")}`] : [];
  };

  /** A route: its router, then each path's configs. SPDL needs a stage on every path, so an empty one gets pass_through. */
  const pathVariantsLines = (node: PipelineNode, open: string, close: string): string[] => {
    const lines = [open, `${INDENT}${functionNames.get(node.id)!},`, `${INDENT}[`];
    plan.paths.get(node.id)!.forEach((path, index) => {
      if (path.length === 0) needHelper("pass_through");
      const configs =
        path.length > 0
          ? path.flatMap(configLines)
          : [withComment(`Pipe(pass_through, name=${pyString(`${node.id} path ${index}`)}),`, ["an empty path"])];
      lines.push(`${INDENT}${INDENT}[`, ...configs.map((line) => `${INDENT}${INDENT}${INDENT}${line}`), `${INDENT}${INDENT}],`);
    });
    lines.push(`${INDENT}],`, `${INDENT}name=${pyString(node.id)},`, withComment(close, routeNotes(node)));
    return lines;
  };
  const configLines = (node: PipelineNode): string[] =>
    node.kind === "route" ? pathVariantsLines(node, "PathVariants(", "),") : [pipeConfig(node)];

  const sink = plan.sink;
  // Before the imports are chosen: printing the calls tells whether Fraction is needed.
  const mainBody = usesMerge ? definitionsProgram() : builderProgram();

  /** A chain: PipelineBuilder().add_source(...).pipe(...)...add_sink(n).build(...). */
  function builderProgram(): string[] {
    const chain = plan.chain;
    if (chain.start.kind !== "source") throw new Error("builderProgram: a merge needs definitionsProgram");
    const source = chain.start.source;
    const { expression, note } = sources.get(source.id)!;
    const lines = [
      withComment(`.add_source(${expression}${continuous(source)})`, [
        `${nodeLabel(source)}: SPDL sources take no name`,
        ...(note ? [note] : []),
      ]),
    ];
    for (const node of chain.steps) {
      if (node.kind === "aggregate") {
        const { size, dropLast } = aggregateParamsSchema.parse(node.params);
        lines.push(
          withComment(`.aggregate(${pyNumber(size)}, drop_last=${dropLast ? "True" : "False"})`, [
            `${nodeLabel(node)}: SPDL names it itself`,
            ...notInSpdl(node),
          ]),
        );
      } else if (node.kind === "disaggregate") {
        lines.push(withComment(".disaggregate()", [`${nodeLabel(node)}: SPDL names it itself`, ...notInSpdl(node)]));
      } else if (node.kind === "route") {
        lines.push(...pathVariantsLines(node, ".path_variants(", ")"));
      } else {
        lines.push(withComment(`.pipe(${pipeArguments(node)})`, notInSpdl(node)));
      }
    }
    lines.push(withComment(`.add_sink(${pyNumber(sink.queueSize)})`, [nodeLabel(sink)]), `.build(${buildArguments()})`);
    return [`pipeline = (`, `${INDENT}PipelineBuilder()`, ...lines.map((line) => `${INDENT}${line}`), ")"];
  }

  /** A merge: PipelineConfig(src=Merge([...]), pipes=[...], sink=SinkConfig(n)) and build_pipeline(). */
  function definitionsProgram(): string[] {
    const statements: string[] = [];

    /**
     * A PipelineConfig's arguments for each chain; each merged branch becomes a PipelineConfig of
     * its own, declared before the chain that merges it, ending in a sink sized like the queue into
     * the node after the merge (SPDL gives each branch a sink of its own: the buffer before the merge).
     */
    const branchNames = new Map<Chain, string>();
    const root = walkChains<string[]>(plan.chain, {
      enter: (chain, branchOf) => {
        if (branchOf) branchNames.set(chain, pyIdentifier(lastNodeOf(chain)?.id ?? "branch", taken, "branch"));
      },
      leave: (chain, _branchArguments, branchOf) => {
        let source: string;
        if (chain.start.kind === "source") {
          const { expression, note } = sources.get(chain.start.source.id)!;
          source = withComment(`src=SourceConfig(${expression}${continuous(chain.start.source)}),`, [
            `${nodeLabel(chain.start.source)}: SPDL sources take no name`,
            ...(note ? [note] : []),
          ]);
        } else {
          source = `src=Merge([${chain.start.branches.map((branch) => branchNames.get(branch)!).join(", ")}]),`;
        }
        const pipes =
          chain.steps.length === 0
            ? ["pipes=[],"]
            : ["pipes=[", ...chain.steps.flatMap(configLines).map((line) => `${INDENT}${line}`), "],"];
        const sinkLine = branchOf
          ? `sink=SinkConfig(${pyNumber((branchOf.merge.steps[0] ?? sink).queueSize)}),`
          : withComment(`sink=SinkConfig(${pyNumber(sink.queueSize)}),`, [nodeLabel(sink)]);
        const lines = [source, ...pipes, sinkLine];
        if (branchOf) statements.push(`${branchNames.get(chain)!} = PipelineConfig(`, ...lines.map((line) => `${INDENT}${line}`), ")");
        return lines;
      },
    });
    return [
      ...statements,
      "config = PipelineConfig(",
      ...root.map((line) => `${INDENT}${line}`),
      ")",
      `pipeline = build_pipeline(config, ${buildArguments()})`,
    ];
  }

  const imports = new Set<string>();
  for (const name of helpers) PYTHON_HELPERS.get(name)!.imports.forEach((line) => imports.add(line));
  if (needsBaseDir) imports.add("import pathlib");
  imports.add("import sys");
  if (sink.consumer) imports.add("import time");
  const standardImports = [...imports].sort();
  if (usesFraction) standardImports.push("from fractions import Fraction");
  const usedDefs = SPDL_DEFS.filter((name) => mainBody.some((line) => line.includes(`${name}(`)));
  const spdlImports = [
    usesMerge ? "from spdl.pipeline import build_pipeline" : "from spdl.pipeline import PipelineBuilder",
    ...(usedDefs.length > 0 ? [`from spdl.pipeline.defs import ${usedDefs.join(", ")}`] : []),
  ];

  const userModules = nodes.filter((node) => node.op === "module");
  const header = [
    ...PYTHON_ENCODING_LINES,
    ...originLines(spec, options, "Python (SPDL)", pyString).map(pyComment),
    "# Needs spdl (pip install spdl). Each op of the file is a Python function defined below, with every",
    "# parameter written out; settings SPDL has no parameter for are comments on the line they belong to.",
    ...(usesMerge
      ? [
          "# SPDL's PipelineBuilder builds a single chain, so this pipeline's merge is built from",
          "# spdl.pipeline.defs configs (Merge, SPDL 0.1.7 or later) and build_pipeline().",
        ]
      : []),
    ...(routes.length > 0
      ? [
          "# A route is SPDL's path_variants. Where a router raises or returns no path's index, SPDL fails",
          "# the pipeline; Pipeline Studio fails that item only (counted against maxFailures).",
        ]
      : []),
    ...(userModules.length > 0
      ? ["# It calls user code that has to be ported by hand: see the functions that raise NotImplementedError."]
      : []),
    ...(nodes.some((node) => node.runOn === "remote")
      ? [
          '# Its remote stages (runOn "remote": Pipeline Studio\'s BullMQ workers on Redis) run in this process',
          "# like any other: SPDL has no BullMQ executor, so the file's Redis and its workers are not used here.",
        ]
      : []),
  ];

  const importBlock = [...standardImports, ...(standardImports.length > 0 ? [""] : []), ...spdlImports].join("\n");
  const sections: string[] = [`${header.join("\n")}\n\n${importBlock}`];
  if (needsBaseDir) {
    sections.push(
      [
        "# Relative paths in op params resolve against the pipeline file's folder, as when the file runs in",
        "# Pipeline Studio, so this program reads the same files from any working directory.",
        `BASE_DIR = pathlib.Path(${pyString(baseDir)})`,
      ].join("\n"),
    );
  }
  for (const name of helpers) sections.push(PYTHON_HELPERS.get(name)!.code);
  // One-line bindings read best as a block; a def among them takes PEP 8's blank lines.
  if (definitions.length > 0)
    sections.push(definitions.join(definitions.some((definition) => definition.includes("\n")) ? "\n\n\n" : "\n"));
  // The sink's simulated consumer: the program's loop works stepMs per batch items, as pipeline-studio run does.
  const step = sink.consumer
    ? [
        `if delivered % ${pyNumber(sink.consumer.batch)} == 0:`,
        `${INDENT}time.sleep(${pyNumber(sink.consumer.stepMs / 1000)})  ${pyComment("the sink's consumer: a simulated training step")}`,
      ]
    : [];
  const consume = repeats
    ? [
        "# The source repeats (continuous=True): SPDL ends each pass at an epoch boundary, so one",
        "# iterator per pass, until stopped, `limit` items, or a pass that delivers nothing.",
        "while delivered != limit:",
        `${INDENT}in_pass = 0`,
        `${INDENT}for _item in pipeline.get_iterator():`,
        `${INDENT}${INDENT}in_pass += 1`,
        `${INDENT}${INDENT}delivered += 1`,
        `${INDENT}${INDENT}if delivered == limit:`,
        `${INDENT}${INDENT}${INDENT}break`,
        ...step.map((line) => `${INDENT}${INDENT}${line}`),
        `${INDENT}if in_pass == 0:`,
        `${INDENT}${INDENT}break`,
      ]
    : [
        "for _item in pipeline:",
        `${INDENT}delivered += 1`,
        `${INDENT}if delivered == limit:`,
        `${INDENT}${INDENT}break`,
        ...step.map((line) => `${INDENT}${line}`),
      ];
  sections.push(
    [
      "def main() -> None:",
      `${INDENT}# An optional first argument stops after that many items, as \`pipeline-studio run --limit N\`.`,
      `${INDENT}limit = int(sys.argv[1]) if len(sys.argv) > 1 else None`,
      ...mainBody.map((line) => `${INDENT}${line}`),
      `${INDENT}delivered = 0`,
      // Said also when the pipeline fails, as pipeline-studio run says what was delivered before the error.
      `${INDENT}try:`,
      `${INDENT}${INDENT}with pipeline.auto_stop():`,
      ...consume.map((line) => `${INDENT}${INDENT}${INDENT}${line}`),
      `${INDENT}finally:`,
      `${INDENT}${INDENT}print(f"Delivered {delivered} items")`,
    ].join("\n"),
  );
  sections.push(['if __name__ == "__main__":', `${INDENT}main()`].join("\n"));
  return `${sections.join("\n\n\n")}\n`;
}
