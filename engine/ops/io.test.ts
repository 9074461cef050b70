import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeNamedPipe, releaseNamedPipe } from "../testing/namedPipes.js";
import type { OpContext } from "../index.js";
import { HttpError, HttpTimeoutError, httpGet, readFile } from "./io.js";
import { buildContext, createStageOp, paramProblems, runStage } from "./testing/harness.js";

type LoopCall = (item: unknown, context: OpContext) => Promise<unknown>;
const context = (): OpContext => ({ signal: new AbortController().signal, stage: "test" });

describe("readFile", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "ops-readfile-"));
    await writeFile(join(root, "hello.txt"), "hello");
    await writeFile(join(root, "big.bin"), Buffer.alloc(100_000, 7));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("takes no params", () => {
    expect(readFile.params.parse({})).toEqual({});
    expect(paramProblems(readFile, { encoding: "utf8" })).toEqual([{ path: "params.encoding", message: "unknown field" }]);
  });

  it("reads a path relative to the pipeline file's folder into { path, bytes } with plain Uint8Array bytes", async () => {
    const { outputs, pipeline } = await runStage(readFile, {}, ["hello.txt", join(root, "big.bin")], {
      context: buildContext(root),
      pipe: { outputOrder: "input" },
    });
    const [hello, big] = outputs as Array<{ path: string; bytes: Uint8Array }>;
    expect(hello.path).toBe(join(root, "hello.txt"));
    expect(Object.getPrototypeOf(hello.bytes)).toBe(Uint8Array.prototype);
    expect(new TextDecoder().decode(hello.bytes)).toBe("hello");
    expect(big.bytes.byteLength).toBe(100_000);
    // Owns its whole buffer, so a pool stage downstream can move it instead of copying.
    expect(big.bytes.buffer.byteLength).toBe(100_000);
    expect(pipeline.stats().stages[1].executor).toBe("loop");
  });

  it("keeps a record's other fields when given { path, … }", async () => {
    const op = createStageOp(readFile, {}, buildContext(root)) as LoopCall;
    const result = (await op({ path: "hello.txt", label: "greeting" }, context())) as Record<string, unknown>;
    expect(result).toMatchObject({ path: join(root, "hello.txt"), label: "greeting" });
    expect(result.bytes).toBeInstanceOf(Uint8Array);
  });

  it("fails an item naming the missing file, and rejects what is not a path", async () => {
    const op = createStageOp(readFile, {}, buildContext(root)) as LoopCall;
    await expect(op("missing.txt", context())).rejects.toThrow(join(root, "missing.txt"));
    await expect(op(42, context())).rejects.toThrow("readFile: expected a file path or a record with a path field, got number 42");
  });

  it("fails an item naming a named pipe or a device at once, rather than waiting on it for good", async () => {
    const op = createStageOp(readFile, {}, buildContext(root)) as LoopCall;
    const pipe = makeNamedPipe(join(root, "pipe"));
    try {
      await expect(op("pipe", context())).rejects.toThrow(`cannot read ${pipe}: not a regular file (a named pipe)`);
      await expect(op("/dev/zero", context())).rejects.toThrow("cannot read /dev/zero: not a regular file (a character device)");
    } finally {
      releaseNamedPipe(pipe);
    }
  });
});

describe("httpGet", () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      const path = request.url ?? "/";
      if (path === "/text") return response.end("plain text");
      if (path === "/json") return response.setHeader("content-type", "application/json").end('{"answer":42}');
      if (path === "/bytes") return response.end(Buffer.from([0, 1, 2, 255]));
      if (path === "/not-json") return response.end("{oops");
      if (path === "/slow") return void setTimeout(() => response.end("late"), 2_000).unref();
      if (path.startsWith("/echo/")) return response.end(path.slice("/echo/".length));
      response.statusCode = 404;
      response.end("nothing here");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("defaults to a text body with no timeout of its own; rejects a bad type or timeout in plain words", () => {
    expect(httpGet.params.parse({})).toEqual({ responseType: "text", timeoutMs: null });
    expect(paramProblems(httpGet, { timeoutMs: 0 })).toEqual([{ path: "params.timeoutMs", message: "must be a number > 0, got 0" }]);
    expect(paramProblems(httpGet, { responseType: "xml" })[0].message).toBe('must be one of "text", "bytes", "json", got "xml"');
  });

  it("returns the body as text, parsed JSON or bytes, for a URL string or a {url} record", async () => {
    const get = (responseType: string, item: unknown) => (createStageOp(httpGet, { responseType }) as LoopCall)(item, context());
    expect(await get("text", `${base}/text`)).toBe("plain text");
    expect(await get("text", { url: `${base}/text`, id: 1 })).toBe("plain text");
    expect(await get("json", `${base}/json`)).toEqual({ answer: 42 });
    const bytes = (await get("bytes", `${base}/bytes`)) as Uint8Array;
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
    expect([...bytes]).toEqual([0, 1, 2, 255]);
    await expect(get("json", `${base}/not-json`)).rejects.toThrow(`GET ${base}/not-json: the body is not valid JSON`);
  });

  it("through the engine: downloads concurrently, and a 404 fails its item with an error naming status and URL", async () => {
    const urls = [`${base}/echo/a`, `${base}/missing`, `${base}/echo/b`, `${base}/echo/c`];
    const { outputs, pipeline } = await runStage(httpGet, {}, urls, { pipe: { concurrency: 3 } });
    expect((outputs as string[]).sort()).toEqual(["a", "b", "c"]);
    const failures = pipeline.failures();
    expect(failures).toHaveLength(1);
    expect(failures[0].error).toBeInstanceOf(HttpError);
    expect(failures[0].error.message).toBe(`GET ${base}/missing answered 404 Not Found`);
    expect((failures[0].error as HttpError).status).toBe(404);
  });

  it("gives up after its own timeoutMs with an error saying so", async () => {
    const op = createStageOp(httpGet, { timeoutMs: 50 }) as LoopCall;
    const error = await op(`${base}/slow`, context()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpTimeoutError);
    expect((error as Error).message).toBe(`GET ${base}/slow took longer than 50 ms`);
  });

  it("aborts the request when the stage's signal aborts", async () => {
    const op = createStageOp(httpGet, {}) as LoopCall;
    const controller = new AbortController();
    const call = op(`${base}/slow`, { signal: controller.signal, stage: "test" });
    setTimeout(() => controller.abort(), 20);
    await expect(call).rejects.toThrow(/abort/i);
  });

  it("rejects an item that is not a URL", async () => {
    const op = createStageOp(httpGet, {}) as LoopCall;
    await expect(op("not a url", context())).rejects.toThrow("httpGet: 'not a url' is not an absolute URL");
    await expect(op(7, context())).rejects.toThrow("httpGet: expected a URL string or a record with a url field, got number 7");
  });
});
