/**
 * The worker-side functions of the catalog's synchronous ops. Worker threads load this module as
 * built JavaScript (dist/engine/ops/poolTasks.js) and call an export as `fn(item, params)`; items
 * arrive by structured clone, so bytes come in as plain Uint8Arrays, never Node Buffers.
 * Keep imports light: every worker loads this.
 */
import { createHash } from "node:crypto";
import { readBytesInput, shapeResult } from "./bytes.js";

export interface CpuParams {
  ms: number;
}

/** Busy-waits `ms`, then passes the item on: a stand-in for synchronous CPU work. */
export function cpu(item: unknown, params: CpuParams): unknown {
  const until = performance.now() + params.ms;
  while (performance.now() < until) {
    // Spinning on purpose: the point is to hold a thread the way real CPU work would.
  }
  return item;
}

export interface Sha256Params {
  encoding: "hex" | "base64";
}

export function sha256(item: unknown, params: Sha256Params): unknown {
  const input = readBytesInput(item, "sha256");
  const digest = createHash("sha256").update(input.bytes).digest(params.encoding);
  return shapeResult(input, "sha256", digest);
}

const decoder = new TextDecoder("utf-8", { fatal: true });

export function jsonParse(item: unknown): unknown {
  const input = typeof item === "string" ? null : readBytesInput(item, "jsonParse");
  let text: string;
  try {
    text = input === null ? (item as string) : decoder.decode(input.bytes);
  } catch {
    throw new SyntaxError("jsonParse: the bytes are not valid UTF-8 text");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`jsonParse: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return input === null ? value : shapeResult(input, "value", value);
}

export interface JsonStringifyParams {
  indent: number;
}

export function jsonStringify(item: unknown, params: JsonStringifyParams): string {
  const text = JSON.stringify(item, bytesAsArrays, params.indent > 0 ? params.indent : undefined);
  // JSON.stringify returns undefined for undefined, functions and symbols: say so rather than drop the item.
  if (text === undefined) throw new TypeError(`jsonStringify: ${typeof item} has no JSON form`);
  return text;
}

/** Without this, a Uint8Array stringifies as {"0":…,"1":…}; an array of numbers is what readers expect. */
function bytesAsArrays(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? Array.from(value) : value;
}
