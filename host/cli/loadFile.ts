import { SpecError, loadPipelineFile, type LoadedPipelineFile, type SpecProblem } from "../../engine/spec/index.js";

export type LoadResult = { loaded: LoadedPipelineFile; problems: [] } | { loaded: undefined; problems: SpecProblem[] };

/** Reads and parses a pipeline file; every way it can fail comes back as problems with a JSON path. */
export async function loadFile(path: string): Promise<LoadResult> {
  try {
    return { loaded: await loadPipelineFile(path), problems: [] };
  } catch (error) {
    return { loaded: undefined, problems: problemsOf(error) };
  }
}

/** SpecErrors carry their paths; anything else (an op factory's ConfigError) belongs to the whole file. */
export function problemsOf(error: unknown): SpecProblem[] {
  if (error instanceof SpecError) return error.problems;
  return [{ path: "$", message: error instanceof Error ? error.message : String(error) }];
}
