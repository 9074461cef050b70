import { pathToFileURL } from "node:url";
import { isAbsolute } from "node:path";
import { ConfigError } from "./errors.js";
import type { PoolTaskSpec } from "./pool/messages.js";

/** What every op receives besides its item. */
export interface OpContext {
  /** Aborted when the pipeline stops, the stage is cancelled, or this call exceeds timeoutMs. */
  readonly signal: AbortSignal;
  /** The stage's name. */
  readonly stage: string;
}

/** An op that runs on the event loop: async (I/O), plain sync (runs inline, blocks the loop), or an async generator. */
export type LoopOp<I, O> = (item: I, context: OpContext) => O | undefined | PromiseLike<O | undefined> | AsyncIterable<O>;

declare const poolTypes: unique symbol;

/** A module export run on the worker pool as `fn(item, params)`. Build with poolTask(). */
export interface PoolTask<I = unknown, O = unknown> extends PoolTaskSpec {
  readonly kind: "poolTask";
  /** Phantom: carries the item types through the builder. */
  readonly [poolTypes]?: (item: I) => O;
}

/** What a remote stage runs on a worker: a module export (found under the worker's root) or a catalog op by name. */
export type RemoteTaskCode =
  | { readonly kind: "module"; readonly moduleUrl: string; readonly exportName: string; readonly params: unknown; readonly root: string }
  | { readonly kind: "catalog"; readonly op: string; readonly params: Readonly<Record<string, unknown>> };

/** An op whose calls run on remote worker processes (BullMQ on Redis). Build with remoteTask(). */
export interface RemoteTask<I = unknown, O = unknown> {
  readonly kind: "remoteTask";
  readonly code: RemoteTaskCode;
  /** Phantom: carries the item types through the builder. */
  readonly [poolTypes]?: (item: I) => O;
}

/** An op: a function on the event loop, a module export on the worker pool, or one on remote workers. */
export type Op<I, O> = LoopOp<I, O> | PoolTask<I, O> | RemoteTask<I, O>;

/**
 * Names a module export to run on the worker pool. Functions cannot be shipped to worker threads,
 * modules can: the export is called there as `fn(item, params)`, with item, params and result
 * crossing threads by structured clone (ArrayBuffers the item wholly owns are moved, not copied).
 * The module must be JavaScript (built .js/.mjs), given as a URL or an absolute path.
 *
 * Type it from the export: `poolTask<typeof import("./opTypes.js").resize>(url, "resize")`, or with
 * explicit item types: `poolTask<Input, Output>(...)`.
 */
export function poolTask<F extends (item: never, params: never) => unknown = (item: unknown, params: unknown) => unknown>(
  moduleUrl: URL | string,
  exportName: string,
  params?: Parameters<F>[1],
): PoolTask<Parameters<F>[0], Awaited<ReturnType<F>>>;
export function poolTask<I, O>(moduleUrl: URL | string, exportName: string, params?: unknown): PoolTask<I, O>;
export function poolTask(moduleUrl: URL | string, exportName: string, params?: unknown): PoolTask {
  if (typeof exportName !== "string" || exportName.length === 0) {
    throw new ConfigError(`poolTask: exportName must be a non-empty string, got ${String(exportName)}`);
  }
  const href = toModuleHref(moduleUrl);
  if (/\.(c|m)?tsx?$/.test(new URL(href).pathname)) {
    throw new ConfigError(`poolTask: ${href} is TypeScript; worker threads load built JavaScript, so point at the compiled .js file`);
  }
  try {
    structuredClone(params);
  } catch (error) {
    throw new ConfigError(
      `poolTask(${exportName}): params must survive structured clone to reach a worker thread: ${(error as Error).message}`,
    );
  }
  return { kind: "poolTask", moduleUrl: href, exportName, params: params ?? null };
}

/**
 * Names a module export to run on remote worker processes (`pipeline-studio worker`), called
 * there as `fn(item, params)` on one of the worker's threads. Item, params and result travel
 * through Redis serialised as for the pool (structured clone). A worker runs the module found at
 * the same path relative to its `--root` as the module's path relative to `options.root` here
 * (default: the working directory), and only if its file has the same sha256.
 * Delivery underneath is at-least-once (a job of a worker that died runs again elsewhere): the
 * pipeline still passes each item on once, but the op itself should be idempotent.
 */
export function remoteTask<F extends (item: never, params: never) => unknown = (item: unknown, params: unknown) => unknown>(
  moduleUrl: URL | string,
  exportName: string,
  params?: Parameters<F>[1],
  options?: { root?: string },
): RemoteTask<Parameters<F>[0], Awaited<ReturnType<F>>>;
export function remoteTask<I, O>(
  moduleUrl: URL | string,
  exportName: string,
  params?: unknown,
  options?: { root?: string },
): RemoteTask<I, O>;
export function remoteTask(moduleUrl: URL | string, exportName: string, params?: unknown, options: { root?: string } = {}): RemoteTask {
  const spec = poolTask(moduleUrl, exportName, params);
  if (!spec.moduleUrl.startsWith("file:"))
    throw new ConfigError(`remoteTask: ${spec.moduleUrl} is not a file; workers load modules from files`);
  const root = options.root ?? process.cwd();
  if (!isAbsolute(root)) throw new ConfigError(`remoteTask: options.root must be an absolute path, got '${root}'`);
  return { kind: "remoteTask", code: { kind: "module", moduleUrl: spec.moduleUrl, exportName, params: spec.params, root } };
}

/** A catalog op by name whose calls run on remote workers (each worker builds it from its own catalog). */
export function remoteCatalogTask(op: string, params: Record<string, unknown>): RemoteTask {
  return { kind: "remoteTask", code: { kind: "catalog", op, params } };
}

export function isRemoteTask(op: unknown): op is RemoteTask {
  return typeof op === "object" && op !== null && (op as { kind?: unknown }).kind === "remoteTask";
}

function toModuleHref(moduleUrl: URL | string): string {
  if (moduleUrl instanceof URL) return moduleUrl.href;
  if (typeof moduleUrl !== "string" || moduleUrl.length === 0) {
    throw new ConfigError(`poolTask: moduleUrl must be a URL or an absolute path, got ${String(moduleUrl)}`);
  }
  if (/^(file|data):/.test(moduleUrl)) return moduleUrl;
  if (isAbsolute(moduleUrl)) return pathToFileURL(moduleUrl).href;
  throw new ConfigError(`poolTask: '${moduleUrl}' is relative; pass new URL("${moduleUrl}", import.meta.url) or an absolute path`);
}

export function isPoolTask(op: unknown): op is PoolTask {
  return typeof op === "object" && op !== null && (op as { kind?: unknown }).kind === "poolTask";
}

/** async function* ops yield many outputs per input; each yield is emitted at once. */
export function isAsyncGeneratorFunction(op: unknown): boolean {
  return typeof op === "function" && op.constructor?.name === "AsyncGeneratorFunction";
}
