import { promisify } from "node:util";
import { gunzip as gunzipCallback, gzip as gzipCallback, type ZlibOptions } from "node:zlib";
import { z } from "zod";
import type { OpContext } from "../opTypes.js";
import type { StageOpDefinition } from "./catalog.js";
import { ownedBytes, readBytesInput, shapeResult } from "./bytes.js";

// zlib's callback API runs each call on libuv's thread pool (UV_THREADPOOL_SIZE threads, fixed at
// start), which is why these ops are async on the loop yet parallel: "own-threads".
const gzipAsync = promisify<Uint8Array, ZlibOptions, Buffer>(gzipCallback);
const gunzipAsync = promisify<Uint8Array, ZlibOptions, Buffer>(gunzipCallback);

const levelMessage = "must be an integer from 0 to 9";

interface GzipParams {
  level: number;
}

export const gzip: StageOpDefinition<GzipParams> = {
  name: "gzip",
  synonyms: ["compress", "zip", "deflate", "zlib"],
  kind: "stage",
  category: "real",
  execution: "own-threads",
  description: "Compresses bytes, a string or a {bytes} record (whose bytes it replaces) with gzip, on libuv's threads",
  params: z.strictObject({
    level: z.int({ error: levelMessage }).min(0, { error: levelMessage }).max(9, { error: levelMessage }).default(6),
  }),
  createOp({ level }) {
    return async function gzip(item: unknown, context: OpContext) {
      return transform(item, context, "gzip", (bytes) => gzipAsync(bytes, { level }));
    };
  },
};

export const gunzip: StageOpDefinition<Record<string, never>> = {
  name: "gunzip",
  synonyms: ["decompress", "unzip", "inflate", "zlib"],
  kind: "stage",
  category: "real",
  execution: "own-threads",
  description: "Decompresses gzip bytes or a {bytes} record (whose bytes it replaces), on libuv's threads",
  params: z.strictObject({}),
  createOp() {
    return async function gunzip(item: unknown, context: OpContext) {
      return transform(item, context, "gunzip", (bytes) => gunzipAsync(bytes, {}));
    };
  },
};

async function transform(
  item: unknown,
  { signal }: OpContext,
  opName: string,
  run: (bytes: Uint8Array) => Promise<Buffer>,
): Promise<unknown> {
  const input = readBytesInput(item, opName);
  // A zlib call cannot be cancelled once queued; at least do not start one after a stop.
  signal.throwIfAborted();
  let output: Buffer;
  try {
    output = await run(input.bytes);
  } catch (error) {
    throw new Error(`${opName}: ${(error as Error).message}`, { cause: error });
  }
  return shapeResult(input, "bytes", ownedBytes(output));
}
