import { FORMAT, FORMAT_VERSION, pipelineFileSchema, type PipelineFile } from "./schema.js";
import { jsonKind, problemsFromIssues, showValue, SpecError, type SpecProblem } from "./problems.js";

/**
 * Checks a value against the file format (types, ranges, unknown fields, format version) and
 * fills in defaults. A structurally valid file may still not be runnable (a half-drawn graph);
 * checkRunnable says why.
 */
export function parsePipelineFile(raw: unknown): { spec: PipelineFile; problems: [] } | { spec: undefined; problems: SpecProblem[] } {
  const versionProblem = checkFormatVersion(raw);
  if (versionProblem) return { spec: undefined, problems: [versionProblem] };
  const parsed = pipelineFileSchema.safeParse(raw, { reportInput: true });
  if (parsed.success) return { spec: parsed.data, problems: [] };
  return { spec: undefined, problems: problemsFromIssues(parsed.error.issues) };
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
    return { path: "format", message: `this file is ${format}, newer than this version of Pipeline Studio reads (${FORMAT}); update Pipeline Studio to open it` };
  }
  if (!match) return { path: "format", message: `must be "${FORMAT}", got ${showValue(format)}; is this a pipeline file?` };
  return undefined;
}
