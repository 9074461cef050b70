import type { OpDefinition } from "../../engine/ops/index.js";
import { ExitCode } from "./exitCodes.js";
import { loadFile } from "./loadFile.js";
import { Output, plainProblems, type CliIo } from "./output.js";

export interface ValidateOptions {
  json: boolean;
}

export interface ValidateDependencies {
  io: CliIo;
  catalog?: ReadonlyMap<string, OpDefinition>;
}

/** `pipeline-studio validate FILE`: everything that stops the file from running, or a one-line OK. */
export async function validateCommand(file: string, options: ValidateOptions, deps: ValidateDependencies): Promise<ExitCode> {
  const output = new Output(deps.io, options.json);
  const { loaded, problems } = await loadFile(file, deps.catalog);
  const valid = problems.length === 0;
  if (options.json) {
    output.document({ file, valid, problems: plainProblems(problems) });
  } else if (loaded && valid) {
    output.result(`${file}: valid (${loaded.spec.nodes.length} nodes, ${loaded.spec.edges.length} edges)`);
  }
  // Problems go to stderr in both modes: a script reading the JSON still leaves them in its logs.
  output.problems(problems);
  return valid ? ExitCode.success : ExitCode.failure;
}
