import type { z } from "zod";
import type { Op } from "../opTypes.js";

/** The palette groups ops by these. */
export type OpCategory = "sources" | "simulated" | "real" | "routing" | "user code";

/**
 * Where an op's work happens: on the event loop (async I/O), on the worker pool (synchronous
 * CPU work), or on threads of its own (zlib runs on libuv's pool, sized by UV_THREADPOOL_SIZE).
 */
export type OpExecution = "loop" | "pool" | "own-threads";

/** What an op's factory gets besides its params. */
export interface OpBuildContext {
  /** The pipeline file's folder: relative paths in params resolve against it. */
  baseDir: string;
  /** The node's runOn setting, for ops that can run either way (user code); "remote" is handled before an op is built. */
  runOn: "pool" | "loop" | null;
}

/** Something a param names outside the file that is not there, as `validate` reports it at params.<param>. */
export interface ParamProblem {
  param: string;
  message: string;
}

interface OpDefinitionBase<P> {
  name: string;
  category: OpCategory;
  /** One line, shown in the palette and by `pipeline-studio ops`. */
  description: string;
  /** Other words a user may search for it by (the palette and the quick-add picker match them): "hash" finds sha256. */
  synonyms: readonly string[];
  /** Parameters with defaults and plain-word constraints; strict: unknown keys are errors. */
  params: z.ZodType<P, Record<string, unknown>>;
  /**
   * What the params name outside the file (a folder, a module), checked by `validate` and before
   * a run, so validate reports what the op's factory would refuse. Reads only; runs nothing.
   */
  checkResources?(params: P, context: OpBuildContext): ParamProblem[];
}

export interface SourceOpDefinition<P = Record<string, unknown>> extends OpDefinitionBase<P> {
  kind: "source";
  execution: "loop";
  createSource(params: P, context: OpBuildContext): Iterable<unknown> | AsyncIterable<unknown>;
}

export interface StageOpDefinition<P = Record<string, unknown>> extends OpDefinitionBase<P> {
  kind: "stage";
  /** Where it runs by default; `module` may be moved with runOn. */
  execution: OpExecution;
  createOp(params: P, context: OpBuildContext): Op<unknown, unknown>;
  /** A router: its op returns a path index, so it belongs in a route node (user code may be either). */
  router?: boolean;
  /** A router: how many paths its params send items to (a route node needs at least that many). */
  routes?(params: P): number;
}

/** Any op of the catalog; its params' type is known only to the op (its methods take them bivariantly). */
export type OpDefinition = SourceOpDefinition<unknown> | StageOpDefinition<unknown>;
