import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseTree, printParseErrorCode, type ParseError } from "jsonc-parser";
import { readFailureReason } from "../util/readFailure.js";
import { writeFileAtomic } from "../util/writeFileAtomic.js";
import { decodeFileText } from "./fileText.js";
import { SpecError, type SpecProblem } from "./problems.js";
import { pipelineFileSchema, type PipelineFile, type PipelineFileInput } from "./schema.js";
import { validatePipelineFile, type RunnableCheckOptions } from "./validate.js";

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
 * (at "$") only when it is no JSON to check: unreadable, not text, not JSON.
 */
export async function inspectPipelineFile(path: string, options: RunnableCheckOptions = {}): Promise<InspectedPipelineFile> {
  const absolute = resolve(path);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(absolute);
  } catch (error) {
    throw new SpecError([{ path: "$", message: `cannot read ${absolute}: ${readFailureReason(error)}` }], absolute);
  }
  const decoded = decodeFileText(bytes);
  if ("problem" in decoded) throw new SpecError([{ path: "$", message: `${absolute} ${decoded.problem}` }], absolute);
  const baseDir = dirname(absolute);
  const { spec, problems } = validatePipelineFile(parseJson(decoded.text, absolute), { ...options, baseDir });
  return { loaded: spec && { spec, path: absolute, baseDir }, problems };
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

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SpecError([{ path: "$", message: `not valid JSON${locateSyntaxError(text) ?? `: ${(error as Error).message}`}` }], file);
  }
}

/** Node's JSON.parse does not say where the error is; jsonc-parser (strict settings) does. */
function locateSyntaxError(text: string): string | undefined {
  const errors: ParseError[] = [];
  try {
    parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch {
    // jsonc-parser recurses: a few thousand unclosed brackets overflow the stack. JSON.parse's own message serves then.
    return undefined;
  }
  const first = errors[0];
  if (!first) return undefined;
  const before = text.slice(0, first.offset).split("\n");
  return ` at line ${before.length}, column ${before[before.length - 1].length + 1}: ${printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()}`;
}
