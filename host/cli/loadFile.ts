import type { OpDefinition } from "../../engine/ops/index.js";
import { SpecError, inspectPipelineFile, type LoadedPipelineFile, type SpecProblem } from "../../engine/spec/index.js";

export interface LoadResult {
  /** The file, when its structure is valid. */
  loaded: LoadedPipelineFile | undefined;
  /** Everything that stops it from running, as `validate` lists it; empty when it can run. */
  problems: SpecProblem[];
}

/** Reads and checks a pipeline file; every way it can fail comes back as problems with a JSON path. */
export async function loadFile(path: string, catalog?: ReadonlyMap<string, OpDefinition>): Promise<LoadResult> {
  try {
    return await inspectPipelineFile(path, { catalog });
  } catch (error) {
    return { loaded: undefined, problems: problemsOf(error) };
  }
}

/** SpecErrors carry their paths; anything else (an op factory's ConfigError) belongs to the whole file. */
export function problemsOf(error: unknown): SpecProblem[] {
  if (error instanceof SpecError) return error.problems;
  return [{ path: "$", message: error instanceof Error ? error.message : String(error) }];
}
