import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OpContext } from "../index.js";
import { gunzip, gzip } from "./compression.js";
import { readFile } from "./io.js";
import { buildContext, createStageOp, paramProblems, runOps, runStage } from "./testing/harness.js";

type LoopCall = (item: unknown, context: OpContext) => Promise<unknown>;
const context = (): OpContext => ({ signal: new AbortController().signal, stage: "test" });

let root: string;
const contents = new Map([
  ["a.txt", "alpha ".repeat(1_000)],
  ["b.txt", "bravo"],
  ["empty.txt", ""],
]);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "ops-gzip-"));
  for (const [name, text] of contents) await writeFile(join(root, name), text);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("gzip and gunzip", () => {
  it("default to level 6 and reject a level outside 0..9 in plain words", () => {
    expect(gzip.params.parse({})).toEqual({ level: 6 });
    expect(gunzip.params.parse({})).toEqual({});
    expect(paramProblems(gzip, { level: 12 })).toEqual([{ path: "params.level", message: "must be an integer from 0 to 9, got 12" }]);
    expect(paramProblems(gzip, { level: 1.5 })).toEqual([{ path: "params.level", message: "must be an integer from 0 to 9, got 1.5" }]);
  });

  it("readFile → gzip → gunzip gives back each file's bytes, path and all", async () => {
    const context = buildContext(root);
    const { outputs, pipeline } = await runOps(
      [
        [createStageOp(readFile, {}, context), { concurrency: 2 }],
        [createStageOp(gzip, { level: 9 }, context), { concurrency: 3 }],
        [createStageOp(gunzip, {}, context), { concurrency: 3 }],
      ],
      [...contents.keys()],
    );
    const byPath = new Map((outputs as Array<{ path: string; bytes: Uint8Array }>).map((record) => [record.path, record.bytes]));
    expect(byPath.size).toBe(contents.size);
    for (const [name, text] of contents) expect(new TextDecoder().decode(byPath.get(join(root, name)))).toBe(text);
    expect(pipeline.failures()).toEqual([]);
    // zlib's async API runs on libuv's threads; to the engine these are event-loop ops that do not block it.
    const stages = pipeline.stats().stages.filter((stage) => stage.name === "gzip" || stage.name === "gunzip");
    expect(stages.map((stage) => [stage.executor, stage.blocksEventLoop])).toEqual([
      ["loop", false],
      ["loop", false],
    ]);
  });

  it("compresses bytes, strings and records into real gzip; returns plain Uint8Arrays", async () => {
    const compress = createStageOp(gzip, {}) as LoopCall;
    const fromString = (await compress("hello hello hello", context())) as Uint8Array;
    expect(Object.getPrototypeOf(fromString)).toBe(Uint8Array.prototype);
    expect(gunzipSync(fromString).toString()).toBe("hello hello hello");
    const fromBuffer = (await compress(Buffer.from("buffer"), context())) as Uint8Array;
    expect(gunzipSync(fromBuffer).toString()).toBe("buffer");
    const record = (await compress({ path: "/x", bytes: new TextEncoder().encode("record"), size: 6 }, context())) as Record<
      string,
      unknown
    >;
    expect(Object.keys(record).sort()).toEqual(["bytes", "path", "size"]);
    expect(gunzipSync(record.bytes as Uint8Array).toString()).toBe("record");
  });

  it("gunzip accepts what gzip tools produce, and names its op when the bytes are not gzip", async () => {
    const decompress = createStageOp(gunzip, {}) as LoopCall;
    expect(new TextDecoder().decode((await decompress(gzipSync("from zlib"), context())) as Uint8Array)).toBe("from zlib");
    await expect(decompress(new Uint8Array([1, 2, 3]), context())).rejects.toThrow(/^gunzip: incorrect header check/);
    await expect(decompress(17, context())).rejects.toThrow(
      "gunzip: expected bytes (Uint8Array), a string, or a record with a bytes field; got number 17",
    );
    await expect(decompress({ bytes: 17 }, context())).rejects.toThrow(
      "gunzip: the item's bytes field must be a Uint8Array or a string, got number 17",
    );
  });

  it("does not start after the stage was stopped", async () => {
    const compress = createStageOp(gzip, {}) as LoopCall;
    const controller = new AbortController();
    controller.abort();
    await expect(compress("late", { signal: controller.signal, stage: "gzip" })).rejects.toThrow(/abort/i);
  });

  it("keeps each result with its item when many calls are in flight", async () => {
    const { outputs } = await runStage(
      gzip,
      { level: 1 },
      Array.from({ length: 40 }, (_, index) => `item ${index} `.repeat(500)),
      { pipe: { concurrency: 8 } },
    );
    expect(outputs).toHaveLength(40);
    expect(
      (outputs as Uint8Array[]).map((bytes) => gunzipSync(bytes).toString().split(" ")[1]).sort((a, b) => Number(a) - Number(b)),
    ).toEqual(Array.from({ length: 40 }, (_, index) => String(index)));
  });
});
