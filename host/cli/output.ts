import type { SpecProblem } from "../../engine/spec/index.js";

/** The part of a stream the CLI writes to; process.stdout/stderr fit, and so do test doubles. */
export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  /** Terminal width, when it is a terminal. */
  readonly columns?: number;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
}

/**
 * The one place commands write through, so the stdout contract holds: with --json, stdout
 * carries exactly one JSON document and everything meant for people goes to stderr.
 */
export class Output {
  private documentWritten = false;

  constructor(
    readonly io: CliIo,
    readonly json: boolean,
  ) {}

  /** Human-readable results (tables, verdicts) for stdout. */
  result(text: string): void {
    // A stray line would make the JSON unparseable for whoever pipes it: fail loudly in development.
    if (this.json) throw new Error("Output.result() called in --json mode; put it in the JSON document");
    this.io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  }

  /** The JSON document of a --json command; written once. */
  document(value: unknown): void {
    if (!this.json) throw new Error("Output.document() called without --json");
    if (this.documentWritten) throw new Error("Output.document() called twice; --json promises one document");
    this.documentWritten = true;
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Notices, warnings and errors: always stderr, so they never mix into results. */
  notice(text: string): void {
    this.io.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
  }

  /** Problems with a file, one per line, each starting with its JSON path. */
  problems(problems: readonly SpecProblem[]): void {
    for (const problem of problems) this.notice(`${problem.path}: ${problem.message}`);
  }
}

/** The {path, message} pairs of --json output: nodeId is for the editor's markers, not for scripts. */
export function plainProblems(problems: readonly SpecProblem[]): { path: string; message: string }[] {
  return problems.map(({ path, message }) => ({ path, message }));
}
