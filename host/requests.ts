/**
 * Runtime checks for StudioApi requests arriving over a transport (WebSocket frames, Electron
 * IPC). protocol.ts holds the types only; this module holds the one list of request names and a
 * schema for each request's params, so both adapters refuse the same malformed input before it
 * reaches StudioSession.handle. Pipeline specs are passed through as they are: the session parses
 * them and reports their problems as a SpecError.
 */
import { z } from "zod";
import { LOCAL_WORKERS_BOUND, MAX_DOCUMENT_BYTES, SIZE_BOUNDS } from "../engine/bounds.js";
import { SpecError, formatProblem, problemsFromIssues, type SpecProblem } from "../engine/spec/problems.js";
import type { RequestName, RequestParams } from "./protocol.js";
import type { StudioSession } from "./session.js";

const noParams = z.object({});
const spec = z.unknown();
const nonEmpty = z.string().min(1);
const positiveInt = z.number().int().min(1);
/** The user-code modules the user confirmed; a request without it confirms none. */
const allowUserCode = z.array(z.string()).max(1000).default([]);
const concurrency = positiveInt.max(SIZE_BOUNDS.concurrency.max);
const threads = positiveInt.max(SIZE_BOUNDS.numThreads.max);
/** Local workers for remote stages (0: none, the pipeline's Redis). */
const localWorkers = z.number().int().min(0).max(LOCAL_WORKERS_BOUND.max).default(0);

const paramSchemas = {
  newPipeline: noParams,
  openFile: z.object({ path: nonEmpty }),
  openExample: z.object({ name: nonEmpty }),
  // Base64 of the largest file the app reads (4 characters per 3 bytes): a larger one is refused by its size.
  openUpload: z.object({ name: nonEmpty.max(1000), base64: z.string().max(Math.ceil(MAX_DOCUMENT_BYTES / 3) * 4 + 4) }),
  fileText: z.object({ spec }),
  startupPipeline: noParams,
  listExamples: noParams,
  listRecentFiles: noParams,
  saveFile: z.object({ path: nonEmpty.nullable().default(null), spec, overwrite: z.boolean().default(false) }),
  resolveSavePath: z.object({ path: nonEmpty }),
  getCatalog: noParams,
  validate: z.object({ spec }),
  exportCode: z.object({ spec, language: z.enum(["ts", "python"]) }),
  startRun: z.object({ spec, allowUserCode, localWorkers, repeatSources: z.boolean().default(false) }),
  stopRun: z.object({ mode: z.enum(["abort", "drain"]) }),
  pauseRun: noParams,
  resumeRun: noParams,
  setConcurrency: z.object({ stage: nonEmpty, concurrency }),
  setNumThreads: z.object({ numThreads: threads }),
  setWorkerThreads: z.object({ stage: nonEmpty, threads }),
  getFailures: noParams,
  profile: z.object({
    spec,
    maxConcurrency: concurrency,
    stepMs: z.number().int().min(100).max(600_000),
    allowUserCode,
    localWorkers,
    stages: z.array(nonEmpty).min(1).max(10_000).optional(),
  }),
  autoTune: z.object({
    spec,
    budgetThreads: threads,
    maxConcurrency: concurrency,
    timeLimitS: z.number().int().min(5).max(3600),
    // Their ranges are checked with the search's own message (auto-tune: readiness must be …).
    objective: z.enum(["throughput", "readiness"]).optional(),
    readiness: z.number().optional(),
    cpuBudget: z.number().nullable().optional(),
    allowUserCode,
    localWorkers,
  }),
  cancelAnalysis: noParams,
  peekEdge: z.object({ from: nonEmpty, to: nonEmpty }),
  listRuns: noParams,
  getRun: z.object({ id: nonEmpty }),
  compareRuns: z.object({ a: nonEmpty, b: nonEmpty }),
  getActivity: noParams,
} satisfies { [N in RequestName]: z.ZodType };

/** Every request name of the StudioApi, in protocol order. */
export const REQUEST_NAMES = Object.keys(paramSchemas) as RequestName[];

export function isRequestName(value: unknown): value is RequestName {
  return typeof value === "string" && Object.hasOwn(paramSchemas, value);
}

/** A request that does not fit the protocol: unknown name, params not an object, a bad field. */
export class RequestError extends Error {
  override name = "RequestError";
}

export interface CheckedRequest<N extends RequestName = RequestName> {
  name: N;
  params: RequestParams<N>;
}

/** Checks a request's name and params; throws a RequestError saying what is wrong. */
export function checkRequest(name: unknown, params: unknown): CheckedRequest {
  if (!isRequestName(name)) {
    const shown = typeof name === "string" ? `'${name.slice(0, 60)}'` : `a ${name === null ? "null" : typeof name}`;
    throw new RequestError(`unknown request ${shown} (requests: ${REQUEST_NAMES.join(", ")})`);
  }
  if (typeof params !== "object" || params === null || Array.isArray(params)) {
    throw new RequestError(
      `bad request '${name}': params must be an object, got ${params === null ? "null" : Array.isArray(params) ? "an array" : typeof params}`,
    );
  }
  const parsed = paramSchemas[name].safeParse(params, { reportInput: true });
  if (!parsed.success) {
    const problems = problemsFromIssues(parsed.error.issues, ["params"]);
    throw new RequestError(`bad request '${name}': ${problems.map(formatProblem).join("; ")}`);
  }
  return { name, params: parsed.data as RequestParams<typeof name> };
}

/** The error part of a failed response, as the wire format carries it (a SpecError keeps its problems). */
export interface WireError {
  name: string;
  message: string;
  problems?: SpecProblem[];
}

export function toWireError(error: unknown): WireError {
  if (error instanceof SpecError) return { name: error.name, message: error.message, problems: error.problems };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: "Error", message: String(error) };
}

/** A response without its id: what Electron's IPC returns (the WebSocket frame adds kind and id). */
export type RequestReply = { ok: true; result: unknown } | { ok: false; error: WireError };

/** Checks a request from a transport, then lets the session answer it; never throws. */
export async function answerRequest(session: Pick<StudioSession, "handle">, name: unknown, params: unknown): Promise<RequestReply> {
  try {
    const request = checkRequest(name, params);
    return { ok: true, result: await session.handle(request.name, request.params) };
  } catch (error) {
    return { ok: false, error: toWireError(error) };
  }
}
