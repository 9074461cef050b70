/**
 * What `validate --json` and `run --json` promise for any file, as checks: an exit code of 0, 1
 * or 2 (130 only when the run was stopped on purpose), exactly one JSON document on stdout, a
 * JSON path on every problem, and validate agreeing with run. Each check returns the broken
 * promises in words; none means the file was handled as it should be.
 */

export interface CliResult {
  code: number | null;
  stdout: string;
  /** The run was stopped (Ctrl-C) because it reached the fuzzer's time limit. */
  stopped?: boolean;
}

interface Problem {
  path: string;
  message: string;
}

export interface ValidateDocument {
  valid: boolean;
  problems: Problem[];
}

export interface RunDocument {
  outcome: string;
  problems: Problem[];
}

const RUN_OUTCOMES = new Set(["completed", "limit", "failed", "stopped", "invalid"]);

/** stdout as its one JSON document, or why it is not one. */
export function oneDocument(stdout: string): { document: Record<string, unknown> } | { violation: string } {
  try {
    const document = JSON.parse(stdout) as unknown;
    if (document === null || typeof document !== "object" || Array.isArray(document))
      return { violation: "stdout is JSON but not an object" };
    return { document: document as Record<string, unknown> };
  } catch {
    return {
      violation:
        stdout.trim() === "" ? "stdout is empty: no JSON document" : `stdout is not exactly one JSON document: ${stdout.slice(0, 80)}`,
    };
  }
}

function problemViolations(problems: unknown): string[] {
  if (!Array.isArray(problems)) return ["problems is not a list"];
  return problems.flatMap((problem: Partial<Problem>, index) => {
    const broken: string[] = [];
    if (typeof problem?.path !== "string" || problem.path === "") broken.push(`problems[${index}] has no JSON path`);
    if (typeof problem?.message !== "string" || problem.message === "") broken.push(`problems[${index}] has no message`);
    return broken;
  });
}

function exitCodeViolations(result: CliResult): string[] {
  if (result.code === 0 || result.code === 1 || result.code === 2) return [];
  if (result.code === 130 && result.stopped) return [];
  return [`exit code ${String(result.code)}`];
}

export function validateViolations(result: CliResult): { violations: string[]; document?: ValidateDocument } {
  const violations = exitCodeViolations(result);
  const parsed = oneDocument(result.stdout);
  if ("violation" in parsed) return { violations: [...violations, parsed.violation] };
  const document = parsed.document as unknown as ValidateDocument;
  violations.push(...problemViolations(document.problems));
  if (typeof document.valid !== "boolean") violations.push("valid is not true or false");
  else if (Array.isArray(document.problems) && document.valid !== (document.problems.length === 0))
    violations.push(`valid is ${document.valid} with ${document.problems.length} problems`);
  if (result.code !== (document.valid ? 0 : 1)) violations.push(`exit code ${String(result.code)} for valid: ${String(document.valid)}`);
  return { violations, document };
}

/** Run's document, checked alone and against what validate said of the same file. */
export function runViolations(result: CliResult, validated: ValidateDocument | undefined): string[] {
  const violations = exitCodeViolations(result);
  const parsed = oneDocument(result.stdout);
  if ("violation" in parsed) return [...violations, parsed.violation];
  const document = parsed.document as unknown as RunDocument;
  violations.push(...problemViolations(document.problems));
  if (!RUN_OUTCOMES.has(document.outcome)) violations.push(`outcome ${JSON.stringify(document.outcome)}`);
  if (document.outcome === "stopped" && !result.stopped) violations.push("stopped though nobody stopped it");
  if (validated && Array.isArray(document.problems)) {
    if (validated.valid && document.outcome === "invalid")
      violations.push(`validate passed the file, run refused it: ${describe(document.problems)}`);
    if (!validated.valid && document.outcome !== "invalid")
      violations.push(`validate refused the file (${describe(validated.problems)}), run took it (${document.outcome})`);
    if (!validated.valid && document.outcome === "invalid" && describe(validated.problems) !== describe(document.problems)) {
      violations.push(`validate and run list different problems: ${describe(validated.problems)} / ${describe(document.problems)}`);
    }
  }
  return violations;
}

function describe(problems: readonly Problem[]): string {
  return problems.map((problem) => `${problem.path}: ${problem.message}`).join("; ");
}
