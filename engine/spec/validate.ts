import { catalog as builtinCatalog } from "../ops/index.js";
import type { OpDefinition } from "../ops/catalog.js";
import { checkGraph } from "./graph.js";
import { checkOps } from "./checkOps.js";
import { parsePipelineFile } from "./parse.js";
import type { SpecProblem } from "./problems.js";
import type { PipelineFile } from "./schema.js";

/** What stops a structurally valid file from running: graph shape, ops and their params. */
export function checkRunnable(spec: PipelineFile, catalog: ReadonlyMap<string, OpDefinition> = builtinCatalog): SpecProblem[] {
  return [...checkGraph(spec), ...checkOps(spec, catalog)];
}

export interface ValidationResult {
  /** The file with defaults filled in, when its structure is valid. */
  spec: PipelineFile | undefined;
  /** Everything wrong, structural problems first; empty when the file can run. */
  problems: SpecProblem[];
}

/** Everything `pipeline-studio validate` checks. */
export function validatePipelineFile(raw: unknown, catalog: ReadonlyMap<string, OpDefinition> = builtinCatalog): ValidationResult {
  const parsed = parsePipelineFile(raw);
  if (!parsed.spec) return { spec: undefined, problems: parsed.problems };
  return { spec: parsed.spec, problems: checkRunnable(parsed.spec, catalog) };
}
