import { resolve } from "node:path";
import { SpecError } from "../problems.js";
import type { PipelineFile } from "../schema.js";
import { checkRunnable } from "../validateFile.js";
import { planPipeline, type PipelinePlan } from "./graphWalk.js";

export interface ExportOptions {
  /** The pipeline file's folder; relative paths in params resolve against it, so the program runs from any folder. */
  baseDir: string;
  /** The pipeline file itself, named in the program's header. */
  file?: string;
}

/** The plan of a runnable file; a file that could not run exports nothing (SpecError, as validate reports it). */
export function runnablePlan(spec: PipelineFile, options: ExportOptions): PipelinePlan {
  const problems = checkRunnable(spec);
  if (problems.length > 0) throw new SpecError(problems, options.file === undefined ? undefined : resolve(options.file));
  return planPipeline(spec);
}

/**
 * The first header lines as plain text, each to be written through the language's comment escaper:
 * where the program came from and what the file said about itself. `quote` is the language's string
 * literal, so the name reads as it would in code.
 */
export function originLines(spec: PipelineFile, options: ExportOptions, language: string, quote: (text: string) => string): string[] {
  const title = spec.name.trim() ? `Pipeline ${quote(spec.name.trim())}` : "A pipeline";
  const from = options.file ? `from ${resolve(options.file)}` : `from a pipeline file in ${resolve(options.baseDir)}`;
  const description = spec.description.trim() ? spec.description.trim().split(/\r\n|\r|\n/) : [];
  return [`${title}, exported to ${language} by Pipeline Studio ${from}.`, ...description];
}
