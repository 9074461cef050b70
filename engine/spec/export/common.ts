import { resolve } from "node:path";
import { SpecError } from "../problems.js";
import type { PipelineFile } from "../schema.js";
import { checkRunnable } from "../validate.js";
import { planPipeline, type PipelinePlan } from "./graphWalk.js";
import { commentText } from "./identifiers.js";

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

/** The first header lines, without comment markers: where the program came from and what the file said about itself. */
export function originLines(spec: PipelineFile, options: ExportOptions, language: string): string[] {
  const title = spec.name.trim() ? `Pipeline ${commentText(JSON.stringify(spec.name.trim()))}` : "A pipeline";
  const from = options.file ? `from ${commentText(resolve(options.file))}` : `from a pipeline file in ${commentText(resolve(options.baseDir))}`;
  const description = spec.description.trim() ? spec.description.trim().split(/\r\n|\r|\n/).map(commentText) : [];
  return [`${title}, exported to ${language} by Pipeline Studio ${from}.`, ...description];
}
