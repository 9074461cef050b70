import { describeCatalog, type OpDescription } from "../../engine/index.js";
import { ExitCode } from "./exitCodes.js";
import { columns } from "./columns.js";
import { Output, type CliIo } from "./output.js";

export interface OpsOptions {
  json: boolean;
}

/** `pipeline-studio ops`: the built-in operations, what they are and where they run. */
export function opsCommand(options: OpsOptions, deps: { io: CliIo; describe?: () => OpDescription[] }): ExitCode {
  const output = new Output(deps.io, options.json);
  const ops = (deps.describe ?? describeCatalog)();
  if (options.json) {
    output.document(ops);
  } else {
    const rows = [["name", "kind", "execution", "description"], ...ops.map((op) => [op.name, op.kind, op.execution, op.description])];
    // Every column left-aligned: these are words, not figures.
    output.result(columns(rows, 4).join("\n"));
  }
  return ExitCode.success;
}
