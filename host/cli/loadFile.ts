import { isAbsolute, resolve } from "node:path";
import type { OpDefinition } from "../../engine/ops/index.js";
import { SpecError, compilePipeline, inspectPipelineFile, type LoadedPipelineFile, type SpecProblem } from "../../engine/spec/index.js";
import type { Output } from "./output.js";

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

/**
 * A pipeline file that can run, or the problems that stop it: printed on stderr, and handed
 * to `invalidDocument` for the one JSON document of --json.
 */
export async function loadRunnableFile(
  file: string,
  output: Output,
  invalidDocument: (path: string, problems: SpecProblem[]) => unknown,
): Promise<LoadedPipelineFile | null> {
  const { loaded, problems: loadProblems } = await loadFile(file);
  let problems = loadProblems;
  if (loaded && problems.length === 0) {
    try {
      // Profile and tune run the pipeline's code as `run` does, so they say so before, as it does.
      const notice = userCodeNotice(userCodeModules(compilePipeline(loaded.spec, { baseDir: loaded.baseDir }).userCode, loaded.baseDir));
      if (notice) output.notice(notice);
      return loaded;
    } catch (error) {
      // An op's factory refused a value the schema let through: a file problem all the same.
      problems = problemsOf(error);
    }
  }
  output.problems(problems);
  if (output.json) output.document(invalidDocument(loaded?.path ?? resolve(file), problems));
  return null;
}

/**
 * The user-code modules a pipeline runs, as absolute paths: relative ones resolve against the
 * pipeline file's folder, not the shell's, so the notice must show where they really are.
 */
export function userCodeModules(modules: readonly string[], baseDir: string): string[] {
  return [
    ...new Set(modules.map((module) => (isAbsolute(module) || /^[a-z][a-z0-9+.-]+:/i.test(module) ? module : resolve(baseDir, module)))),
  ];
}

/** The notice a run prints before it starts: a pipeline file from elsewhere can run anything. */
export function userCodeNotice(modules: readonly string[]): string | undefined {
  return modules.length === 0 ? undefined : `This pipeline runs code from ${modules.join(", ")}`;
}
