import { z } from "zod";
import { integerAtLeast } from "../spec/fields.js";
import { poolTask } from "../opTypes.js";
import { builtModuleUrl } from "../pool/builtModule.js";
import type { StageOpDefinition } from "./catalog.js";
import type { JsonStringifyParams, Sha256Params } from "./poolTasks.js";

// Hashing and JSON are synchronous: on the loop they would stall every other stage, so they run on the pool.
const POOL_TASKS = builtModuleUrl("./poolTasks.js", import.meta.url);

export const sha256: StageOpDefinition<Sha256Params> = {
  name: "sha256",
  synonyms: ["hash", "digest", "checksum", "fingerprint"],
  kind: "stage",
  category: "real",
  execution: "pool",
  description: "SHA-256 digest of bytes or a string; a {bytes} record comes back with bytes replaced by sha256",
  params: z.strictObject({
    encoding: z.enum(["hex", "base64"]).default("hex"),
  }),
  createOp(params) {
    return poolTask<unknown, unknown>(POOL_TASKS, "sha256", params);
  },
};

export const jsonParse: StageOpDefinition<Record<string, never>> = {
  name: "jsonParse",
  synonyms: ["decode", "deserialize", "parse", "read json"],
  kind: "stage",
  category: "real",
  execution: "pool",
  description: "Parses JSON text, UTF-8 bytes, or a {bytes} record (whose bytes it replaces with value)",
  params: z.strictObject({}),
  createOp() {
    return poolTask<unknown, unknown>(POOL_TASKS, "jsonParse");
  },
};

export const jsonStringify: StageOpDefinition<JsonStringifyParams> = {
  name: "jsonStringify",
  synonyms: ["encode", "serialize", "dump", "write json"],
  kind: "stage",
  category: "real",
  execution: "pool",
  description: "Turns the item into JSON text (bytes become arrays of numbers); indent > 0 pretty-prints",
  params: z.strictObject({
    indent: integerAtLeast(0).default(0),
  }),
  createOp(params) {
    return poolTask<unknown, unknown>(POOL_TASKS, "jsonStringify", params);
  },
};
