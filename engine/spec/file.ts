import { dirname, resolve } from "node:path";
import { parseJson } from "../util/parseJson.js";
import { readRegularTextFile } from "../util/readRegularFile.js";
import { writeFileAtomic } from "../util/writeFileAtomic.js";
import { parsePipelineFileOrThrow } from "./parse.js";
import { SpecError } from "./problems.js";
import { pipelineFileSchema, type PipelineFile, type PipelineFileInput } from "./schema.js";

export interface LoadedPipelineFile {
  spec: PipelineFile;
  /** Absolute path of the file. */
  path: string;
  /** Its folder: relative paths inside resolve against it. */
  baseDir: string;
}

/**
 * Reads and checks a pipeline file (never writes it). Throws SpecError with JSON paths. Only a
 * regular file of at most 16 MiB is read, and a file that is not JSON is reported by line and
 * column, never by quoting it: the path may name a file that is not a pipeline at all.
 */
export async function loadPipelineFile(path: string): Promise<LoadedPipelineFile> {
  const absolute = resolve(path);
  let raw: unknown;
  try {
    raw = parseJson(await readRegularTextFile(absolute));
  } catch (error) {
    // A FileReadError or a JsonSyntaxError: either message names no more than the path and a place.
    throw new SpecError([{ path: "$", message: (error as Error).message }], absolute);
  }
  return { spec: parsePipelineFileOrThrow(raw, absolute), path: absolute, baseDir: dirname(absolute) };
}

/** The file's text as saved: every field written, defaults included, in a stable order. */
export function serializePipelineFile(spec: PipelineFileInput): string {
  return `${JSON.stringify(pipelineFileSchema.parse(spec), null, 2)}\n`;
}

/** Writes every field; a crash mid-save never leaves half a file. */
export async function savePipelineFile(path: string, spec: PipelineFileInput): Promise<string> {
  return writeFileAtomic(path, serializePipelineFile(spec));
}
