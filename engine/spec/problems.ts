import type { z } from "zod";
import { previewJson } from "../util/previewJson.js";

/** One thing wrong with a pipeline file, at a JSON path ("nodes[1].concurrency", or "$" for the whole file). */
export interface SpecProblem {
  path: string;
  message: string;
  /** The node the problem belongs to, for markers on the canvas. */
  nodeId?: string;
}

/** A pipeline file that cannot be used; the message lists every problem, one per line, each starting with its path. */
export class SpecError extends Error {
  override name = "SpecError";
  constructor(
    readonly problems: SpecProblem[],
    readonly file?: string,
  ) {
    super(problems.map(formatProblem).join("\n"));
  }
}

export function formatProblem(problem: SpecProblem): string {
  return `${problem.path}: ${problem.message}`;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const key of path) {
    if (typeof key === "number") text += `[${key}]`;
    else text += text ? `.${String(key)}` : String(key);
  }
  return text || "$";
}

/** Shows a value the way a user typed it in JSON, kept short (whatever its size or depth). */
export function showValue(value: unknown): string {
  return value === undefined ? "nothing" : previewJson(value);
}

/** What kind of JSON value it is, without showing it: "a string", "an array", "null". */
export function jsonKind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return value === undefined ? "nothing" : `a ${typeof value}`;
}

function typeName(value: unknown): string {
  if (value === null || typeof value === "object") return jsonKind(value);
  return `${typeof value} ${showValue(value)}`;
}

/** Turns schema-library issues into plain words: "must be an integer ≥ 1, got 0". */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): SpecProblem[] {
  const problems: SpecProblem[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    const input = (issue as { input?: unknown }).input;
    switch (issue.code) {
      case "unrecognized_keys":
        for (const key of issue.keys) problems.push({ path: formatPath([...path, key]), message: "unknown field" });
        break;
      case "invalid_type":
        problems.push({
          path: formatPath(path),
          message:
            input === undefined
              ? "is required"
              : issue.message.startsWith("Invalid input")
                ? `must be ${article(issue.expected)}, got ${typeName(input)}`
                : `${issue.message}, got ${showValue(input)}`,
        });
        break;
      case "invalid_value":
        problems.push({
          path: formatPath(path),
          message:
            issue.values.length === 1
              ? `must be ${showValue(issue.values[0])}, got ${showValue(input)}`
              : `must be one of ${issue.values.map(showValue).join(", ")}, got ${showValue(input)}`,
        });
        break;
      case "too_small":
      case "too_big":
      case "custom":
      case "invalid_format":
      case "not_multiple_of":
        problems.push({ path: formatPath(path), message: `${plainMessage(issue)}, got ${showValue(input)}` });
        break;
      case "invalid_union":
        problems.push({ path: formatPath(path), message: `has an unexpected value: ${showValue(input)}` });
        break;
      default:
        problems.push({ path: formatPath(path), message: issue.message });
    }
  }
  return problems;
}

function article(expected: string): string {
  if (expected === "int") return "an integer";
  if (expected === "array" || expected === "object") return `an ${expected}`;
  return `a ${expected}`;
}

function plainMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "too_small" && issue.message.startsWith("Too small")) {
    const bound = `${issue.inclusive ? "≥" : ">"} ${String(issue.minimum)}`;
    return issue.origin === "string"
      ? "must not be empty"
      : issue.origin === "array"
        ? `must have at least ${String(issue.minimum)} entries`
        : `must be ${bound}`;
  }
  if (issue.code === "too_big" && issue.message.startsWith("Too big")) {
    return `must be ${issue.inclusive ? "≤" : "<"} ${String(issue.maximum)}`;
  }
  return issue.message;
}
