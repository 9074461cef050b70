import { FORMAT, FORMAT_VERSION, pipelineFileSchema, type PipelineFile } from "./schema.js";
import { isUnder, limitNesting } from "./nesting.js";
import { jsonKind, problemsFromIssues, showValue, SpecError, type SpecProblem } from "./problems.js";

/**
 * Checks a value against the file format (types, ranges, unknown fields, format version) and
 * fills in defaults. A structurally valid file may still not be runnable (a half-drawn graph);
 * checkRunnable says why.
 */
export function parsePipelineFile(raw: unknown): { spec: PipelineFile; problems: [] } | { spec: undefined; problems: SpecProblem[] } {
  const parsed = parseFileParts(raw);
  return parsed.spec ? { spec: parsed.spec, problems: [] } : { spec: undefined, problems: parsed.problems };
}

/** parsePipelineFile's result, and for a file the schema refused, what is left to judge. */
export type FileParts =
  | { spec: PipelineFile; problems: [] }
  | {
      spec: undefined;
      problems: SpecProblem[];
      /** The file with its too-deep parts taken out; undefined when it is no pipeline file at all (format). */
      value: Record<string, unknown> | undefined;
    };

export function parseFileParts(raw: unknown): FileParts {
  const versionProblem = checkFormatVersion(raw);
  if (versionProblem) return { spec: undefined, problems: [versionProblem], value: undefined };
  // Before the schema: zod, value previews and clones recurse, and a deep enough value overflows the stack.
  const nesting = limitNesting(raw);
  const parsed = pipelineFileSchema.safeParse(nesting.value, { reportInput: true });
  if (parsed.success && nesting.problems.length === 0) return { spec: parsed.data, problems: [] };
  const schemaProblems = parsed.success
    ? []
    : problemsFromIssues(parsed.error.issues).filter((problem) => !nesting.removed.some((path) => isUnder(problem.path, path)));
  return { spec: undefined, problems: [...nesting.problems, ...schemaProblems], value: nesting.value as Record<string, unknown> };
}

/** Like parsePipelineFile, but throws a SpecError listing every problem. */
export function parsePipelineFileOrThrow(raw: unknown, file?: string): PipelineFile {
  const result = parsePipelineFile(raw);
  if (!result.spec) throw new SpecError(result.problems, file);
  return result.spec;
}

function checkFormatVersion(raw: unknown): SpecProblem | undefined {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    // The kind only: this JSON is the whole file, and it is not a pipeline file.
    return { path: "$", message: `a pipeline file must be a JSON object with "format": "${FORMAT}", got ${jsonKind(raw)}` };
  }
  const format = (raw as { format?: unknown }).format;
  if (format === undefined) return { path: "format", message: `is required ("${FORMAT}"); is this a pipeline file?` };
  const match = typeof format === "string" ? /^pipeline-studio\/(\d+)$/.exec(format) : null;
  if (match && Number(match[1]) > FORMAT_VERSION) {
    return {
      path: "format",
      message: `this file is ${format}, newer than this version of Pipeline Studio reads (${FORMAT}); update Pipeline Studio to open it`,
    };
  }
  if (!match) return { path: "format", message: `must be "${FORMAT}", got ${showValue(format)}; is this a pipeline file?` };
  return undefined;
}
