import { dirname, resolve } from "node:path";
import { parseJson } from "../util/parseJson.js";
import { MAX_DOCUMENT_BYTES } from "../bounds.js";
import { readRegularFile, tooLarge } from "../util/readRegularFile.js";
import { writeFileAtomic } from "../util/writeFileAtomic.js";
import { decodeFileText } from "./fileText.js";
import { SpecError, type SpecProblem } from "./problems.js";
import { pipelineFileSchema, type PipelineFile, type PipelineFileInput } from "./schema.js";
import { validatePipelineFile, type RunnableCheckOptions } from "./validateFile.js";

export interface LoadedPipelineFile {
  spec: PipelineFile;
  /** Absolute path of the file. */
  path: string;
  /** Its folder: relative paths inside resolve against it. */
  baseDir: string;
}

export interface InspectedPipelineFile {
  /** The file, when its structure is valid (it may still not be runnable). */
  loaded: LoadedPipelineFile | undefined;
  /** Everything that stops it from running, as `validate` lists it. */
  problems: SpecProblem[];
}

/**
 * Reads a pipeline file (never writes it) and checks it as `validate` does. Throws SpecError
 * (at "$") only when it is no JSON to check: unreadable, not text, not JSON. Only a regular file
 * of at most 16 MiB is read, and a file that is not JSON is reported by line and column, never by
 * quoting it: the path may name a file that is not a pipeline at all.
 */
export async function inspectPipelineFile(path: string, options: RunnableCheckOptions = {}): Promise<InspectedPipelineFile> {
  const absolute = resolve(path);
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(absolute);
  } catch (error) {
    // A FileReadError or a JsonSyntaxError: either message names no more than the path and a place.
    throw new SpecError([{ path: "$", message: (error as Error).message }], absolute);
  }
  const { spec, problems } = inspectPipelineBytes(bytes, { ...options, label: absolute, baseDir: dirname(absolute) });
  return { loaded: spec && { spec, path: absolute, baseDir: dirname(absolute) }, problems };
}

export interface InspectedPipelineBytes {
  /** The file, when its structure is valid (it may still not be runnable). */
  spec: PipelineFile | undefined;
  problems: SpecProblem[];
  /** The JSON as read (for a file the schema refused: what is left to draw). */
  raw: unknown;
}

/**
 * A pipeline file's bytes checked exactly as inspectPipelineFile checks a file on disk (the same
 * 16 MiB limit, text and JSON checks, problems at JSON paths): for a file that has no path here,
 * such as one uploaded from a browser. `label` names it in messages; relative paths inside it
 * resolve against `baseDir`.
 */
export function inspectPipelineBytes(
  bytes: Uint8Array,
  options: RunnableCheckOptions & { label: string; baseDir: string },
): InspectedPipelineBytes {
  const { label, ...checkOptions } = options;
  if (bytes.length > MAX_DOCUMENT_BYTES)
    throw new SpecError([{ path: "$", message: tooLarge(label, bytes.length, MAX_DOCUMENT_BYTES).message }], label);
  const decoded = decodeFileText(bytes);
  if ("problem" in decoded) throw new SpecError([{ path: "$", message: `${label} ${decoded.problem}` }], label);
  let raw: unknown;
  try {
    raw = parseJson(decoded.text);
  } catch (error) {
    // A JsonSyntaxError names no more than a place in the text.
    throw new SpecError([{ path: "$", message: (error as Error).message }], label);
  }
  const { spec, problems } = validatePipelineFile(raw, checkOptions);
  return { spec, problems, raw };
}

/** Reads a pipeline file whose structure is valid (a half-drawn graph loads); otherwise throws SpecError listing every problem. */
export async function loadPipelineFile(path: string): Promise<LoadedPipelineFile> {
  const { loaded, problems } = await inspectPipelineFile(path);
  if (!loaded) throw new SpecError(problems, resolve(path));
  return loaded;
}

/** The file's text as saved: every field written, defaults included, in a stable order. */
export function serializePipelineFile(spec: PipelineFileInput): string {
  return `${JSON.stringify(pipelineFileSchema.parse(spec), null, 2)}\n`;
}

/** Writes every field; a crash mid-save never leaves half a file. */
export async function savePipelineFile(path: string, spec: PipelineFileInput): Promise<string> {
  return writeFileAtomic(path, serializePipelineFile(spec));
}
