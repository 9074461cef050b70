import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { jsonParse, jsonStringify, sha256 } from "./encoding.js";
import { gzip } from "./compression.js";
import { files } from "./files.js";
import { readFile } from "./io.js";
import * as poolTasks from "./poolTasks.js";
import { PipelineBuilder, type Op } from "../index.js";
import { buildContext, createStageOp, paramProblems, runOps, runStage } from "./testing/harness.js";

// FIPS 180-2's test vectors.
const ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
const EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

describe("sha256", () => {
  it("defaults to hex and rejects another encoding in plain words", () => {
    expect(sha256.params.parse({})).toEqual({ encoding: "hex" });
    expect(paramProblems(sha256, { encoding: "binary" })[0]).toEqual({
      path: "params.encoding",
      message: 'must be one of "hex", "base64", got "binary"',
    });
  });

  it("digests strings and bytes on the worker pool to the known vectors", async () => {
    const { outputs, pipeline } = await runStage(sha256, {}, ["abc", new TextEncoder().encode("abc"), Buffer.from("abc"), ""], {
      pipe: { outputOrder: "input", concurrency: 2 },
    });
    expect(outputs).toEqual([ABC, ABC, ABC, EMPTY]);
    expect(pipeline.stats().stages[1].executor).toBe("pool");
  });

  it("replaces a record's bytes with its digest, keeping the other fields", async () => {
    const { outputs } = await runStage(sha256, { encoding: "base64" }, [{ path: "/a", bytes: new TextEncoder().encode("abc") }]);
    expect(outputs).toEqual([{ path: "/a", sha256: Buffer.from(ABC, "hex").toString("base64") }]);
  });

  it("fails an item that is not bytes with a clear error", async () => {
    const { outputs, pipeline } = await runStage(sha256, {}, [42, "abc"]);
    expect(outputs).toEqual([ABC]);
    expect(pipeline.failures()[0].error.message).toBe(
      "sha256: expected bytes (Uint8Array), a string, or a record with a bytes field; got number 42",
    );
  });
});

describe("jsonParse and jsonStringify", () => {
  it("validate their params in plain words", () => {
    expect(jsonParse.params.parse({})).toEqual({});
    expect(jsonStringify.params.parse({})).toEqual({ indent: 0 });
    expect(paramProblems(jsonStringify, { indent: -2 })).toEqual([{ path: "params.indent", message: "must be an integer ≥ 0, got -2" }]);
  });

  it("round-trip values through the pool, in input order", async () => {
    const values = [{ a: 1, b: [true, null, "x"] }, [1, 2, 3], "text", 3.5, null];
    const { outputs, pipeline } = await runOps(
      [
        [createStageOp(jsonStringify, {}), { concurrency: 3, outputOrder: "input" }],
        [createStageOp(jsonParse, {}), { concurrency: 3, outputOrder: "input" }],
      ],
      values,
    );
    expect(outputs).toEqual(values);
    expect(
      pipeline
        .stats()
        .stages.slice(1)
        .map((stage) => stage.executor),
    ).toEqual(["pool", "pool"]);
  });

  it("jsonStringify pretty-prints with indent and writes bytes as arrays of numbers", async () => {
    const { outputs } = await runStage(jsonStringify, { indent: 2 }, [{ a: 1, bytes: new Uint8Array([1, 2]) }]);
    expect(outputs).toEqual(['{\n  "a": 1,\n  "bytes": [\n    1,\n    2\n  ]\n}']);
  });

  it("jsonParse reads UTF-8 bytes and {bytes} records", async () => {
    const { outputs } = await runStage(
      jsonParse,
      {},
      [new TextEncoder().encode('{"é":1}'), { path: "/p.json", bytes: new TextEncoder().encode("[1]") }],
      { pipe: { outputOrder: "input" } },
    );
    expect(outputs).toEqual([{ é: 1 }, { path: "/p.json", value: [1] }]);
  });

  it("name the problem when the input cannot be converted", () => {
    expect(() => poolTasks.jsonParse("{oops")).toThrow(/^jsonParse: not valid JSON: /);
    expect(() => poolTasks.jsonParse(new Uint8Array([0xff, 0xfe]))).toThrow("jsonParse: the bytes are not valid UTF-8 text");
    expect(() => poolTasks.jsonStringify(undefined, { indent: 0 })).toThrow("jsonStringify: undefined has no JSON form");
  });
});

describe("files → readFile → gzip → sha256", () => {
  it("hashes each file's compressed bytes, on the loop, libuv's threads and the pool in turn", async () => {
    const root = await mkdtemp(join(tmpdir(), "ops-chain-"));
    try {
      for (let index = 0; index < 5; index++)
        await writeFile(join(root, `file-${index}.txt`), `contents of file ${index}\n`.repeat(index * 100 + 1));
      const context = buildContext(root);
      const source = files.createSource(files.params.parse({ pattern: "*.txt" }), context);
      const stages: Array<[Op<unknown, unknown>, object]> = [
        [createStageOp(readFile, {}, context), { concurrency: 2 }],
        [createStageOp(gzip, {}, context), { concurrency: 2 }],
        [createStageOp(sha256, {}, context), { concurrency: 2, outputOrder: "input" }],
      ];
      let builder: PipelineBuilder<unknown> = new PipelineBuilder().addSource(source);
      for (const [op, options] of stages) builder = builder.pipe(op as (item: unknown) => Promise<unknown>, options);
      const pipeline = builder.addSink().build({ numThreads: 2 });
      const outputs: Array<{ path: string; sha256: string }> = [];
      for await (const item of pipeline) outputs.push(item as { path: string; sha256: string });
      // readFile and gzip run two at a time in completion order, so files may arrive in any order.
      expect(outputs.map((record) => record.path).sort()).toEqual(Array.from({ length: 5 }, (_, index) => join(root, `file-${index}.txt`)));
      for (const record of outputs) {
        expect(record.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(Object.keys(record).sort()).toEqual(["path", "sha256"]);
      }
      expect(pipeline.stats().stages.map((stage) => stage.executor)).toEqual(["loop", "loop", "loop", "pool"]);
      expect(new Set(outputs.map((record) => record.sha256)).size).toBe(5);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("hashes the same bytes on the pool as node:crypto on this thread", () => {
    const bytes = new Uint8Array([1, 2, 3, 4, 5]);
    expect(poolTasks.sha256(bytes, { encoding: "hex" })).toBe(createHash("sha256").update(bytes).digest("hex"));
  });
});
