import { parsePipelineFile, type PipelineFile, type PipelineNode } from "../../engine/spec/index.js";
import { UsageError } from "./exitCodes.js";

/** Node fields a --set may change: the run-time knobs, not the graph or the ops. */
export const NODE_FIELDS = ["concurrency", "queueSize", "outputOrder", "timeoutMs", "retries", "maxFailures"] as const;
export const BUILD_FIELDS = ["numThreads", "maxFailures"] as const;
/** `build.<field>` addresses the build settings, even if a node happens to be called "build". */
export const BUILD_TARGET = "build";

type NodeField = (typeof NODE_FIELDS)[number];
type BuildField = (typeof BUILD_FIELDS)[number];

/** One `--set <target>.<field>=<value>`, split but not yet checked against the file. */
export interface Assignment {
  target: string;
  field: string;
  value: string;
  /** As the user wrote it, for messages. */
  text: string;
}

export interface Overrides {
  /** --threads: a shorthand for build.numThreads, applied before the --set list. */
  threads?: number;
  assignments: readonly Assignment[];
}

export interface OverriddenSpec {
  spec: PipelineFile;
  /** Every override, as `<target>.<field>=<value>`, in the order applied. */
  applied: string[];
}

/** Splits `node.field=value`. The field is after the last dot, since node ids may contain dots. */
export function parseAssignment(text: string): Assignment {
  const equals = text.indexOf("=");
  const key = equals < 0 ? "" : text.slice(0, equals).trim();
  const dot = key.lastIndexOf(".");
  if (equals < 0 || dot <= 0 || dot === key.length - 1) {
    throw new UsageError(`--set ${text}: expected <node>.<field>=<value>, e.g. download.concurrency=4 or build.numThreads=8`);
  }
  const value = text.slice(equals + 1).trim();
  if (value === "") throw new UsageError(`--set ${text}: the value after "=" is missing`);
  return { target: key.slice(0, dot), field: key.slice(dot + 1), value, text };
}

/** For commander's repeatable option: each --set adds one assignment. */
export function collectAssignment(text: string, previous: Assignment[] = []): Assignment[] {
  return [...previous, parseAssignment(text)];
}

/**
 * Applies --threads and --set to a loaded file, then checks the result with the file format's
 * own schema, so a value is held to the same rules (and messages) as if it were in the file.
 * Every mistake is a UsageError naming the --set it came from.
 */
export function applyOverrides(spec: PipelineFile, overrides: Overrides): OverriddenSpec {
  // Only knobs change: a copy of the nodes and build settings will do (params, which may nest deep, are shared).
  const raw: PipelineFile = { ...spec, nodes: spec.nodes.map((node) => ({ ...node })), build: { ...spec.build } };
  const applied: string[] = [];
  // JSON path of each changed field → the --set that changed it last, to attribute schema problems.
  const sourceOfPath = new Map<string, string>();
  const all: Assignment[] = [];
  if (overrides.threads !== undefined) {
    all.push({ target: BUILD_TARGET, field: "numThreads", value: String(overrides.threads), text: `--threads ${overrides.threads}` });
  }
  all.push(...overrides.assignments.map((assignment) => ({ ...assignment, text: `--set ${assignment.text}` })));

  for (const assignment of all) {
    const { target, field, text } = assignment;
    if (target === BUILD_TARGET) {
      if (!isBuildField(field))
        throw new UsageError(`${text}: unknown build setting "${field}" (build settings: ${BUILD_FIELDS.join(", ")})`);
      raw.build[field] = fieldValue(field, assignment) as never;
      sourceOfPath.set(`build.${field}`, text);
    } else {
      const index = raw.nodes.findIndex((node) => node.id === target);
      if (index < 0) {
        throw new UsageError(
          `${text}: no node has id "${target}" (nodes: ${raw.nodes.map((node) => node.id).join(", ") || "none"}; or build.${BUILD_FIELDS.join("/")})`,
        );
      }
      const node = raw.nodes[index];
      if (!isNodeField(field))
        throw new UsageError(`${text}: unknown field "${field}" (fields --set can change: ${NODE_FIELDS.join(", ")})`);
      const allowed = fieldsOf(node);
      if (!allowed.includes(field)) {
        throw new UsageError(
          `${text}: "${node.id}" is ${article(node.kind)}, which has no ${field}${allowed.length > 0 ? ` (it has: ${allowed.join(", ")})` : ""}`,
        );
      }
      (raw.nodes[index] as Record<NodeField, unknown>)[field] = fieldValue(field, assignment);
      sourceOfPath.set(`nodes[${index}].${field}`, text);
    }
    applied.push(`${target}.${field}=${assignment.value}`);
  }

  const parsed = parsePipelineFile(raw);
  if (!parsed.spec) {
    const messages = parsed.problems.map((problem) => `${sourceOfPath.get(problem.path) ?? problem.path}: ${problem.message}`);
    throw new UsageError(messages.join("\n"));
  }
  return { spec: parsed.spec, applied };
}

/** Which knobs mean something for a node of this kind (compile ignores the rest). */
export function fieldsOf(node: Pick<PipelineNode, "kind">): readonly NodeField[] {
  switch (node.kind) {
    case "stage":
      return NODE_FIELDS;
    case "source":
      return [];
    default:
      // Aggregate, disaggregate and the sink only have the queue that feeds them.
      return ["queueSize"];
  }
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The text after "=" as the JSON value the file would hold; ranges are left to the schema. */
function fieldValue(field: NodeField | BuildField, { value, text }: Assignment): unknown {
  if (field === "outputOrder") return value;
  const nullable = field === "timeoutMs" || field === "maxFailures";
  if (nullable && (value === "null" || value === "none")) return null;
  if (!NUMBER.test(value)) throw new UsageError(`${text}: "${value}" is not a number${nullable ? ' (or "none" to remove the limit)' : ""}`);
  return Number(value);
}

function isNodeField(field: string): field is NodeField {
  return (NODE_FIELDS as readonly string[]).includes(field);
}

function isBuildField(field: string): field is BuildField {
  return (BUILD_FIELDS as readonly string[]).includes(field);
}

function article(kind: string): string {
  return /^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}
