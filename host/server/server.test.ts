import { request as httpRequest } from "node:http";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeNamedPipe, releaseNamedPipe } from "../../engine/testing/namedPipes.js";
import type { RunEnded, StudioEvent } from "../protocol.js";
import { RecentFiles } from "../recentFiles.js";
import { StudioSession } from "../session.js";
import { startStudioServer, type StudioServer } from "./server.js";
import { TestClient, upgradeStatus } from "./testing/client.js";

let home: string;
let rendererDir: string;
let session: StudioSession;
let server: StudioServer;
const clients: TestClient[] = [];
const namedPipes: string[] = [];

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "studio-server-"));
  rendererDir = join(home, "renderer");
  await mkdir(join(rendererDir, "assets"), { recursive: true });
  await writeFile(
    join(rendererDir, "index.html"),
    '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head><body><div id="root"></div></body></html>',
  );
  await writeFile(join(rendererDir, "assets", "app.js"), "console.log('app');\n");
  await writeFile(join(rendererDir, "assets", "app.css"), "body { margin: 0 }\n");
  await writeFile(join(home, "secret.txt"), "outside the renderer\n");
  session = new StudioSession({ recentFiles: new RecentFiles(join(home, "recent.json")) });
  server = await startStudioServer({ session, port: 0, rendererDir });
});

afterEach(async () => {
  for (const pipe of namedPipes.splice(0)) releaseNamedPipe(pipe);
  for (const client of clients.splice(0)) client.close();
  await session.close();
  await server.close();
  await rm(home, { recursive: true, force: true });
});

function apiUrl(token: string | null = server.token): string {
  return `ws://127.0.0.1:${server.port}/api${token === null ? "" : `?token=${encodeURIComponent(token)}`}`;
}

async function connect(headers: Record<string, string> = { Origin: `http://127.0.0.1:${server.port}` }): Promise<TestClient> {
  const client = await TestClient.connect(apiUrl(), headers);
  clients.push(client);
  return client;
}

/** The token with its last character changed: the same length, never the same token. */
function wrongToken(token: string): string {
  return `${token.slice(0, -1)}${token.endsWith("x") ? "y" : "x"}`;
}

/** A raw HTTP GET, so paths and headers reach the server exactly as written. */
function rawGet(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port: server.port, path, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("browser-mode server", () => {
  it("binds 127.0.0.1 only and prints a URL with a long random token", () => {
    const address = server.httpServer.address();
    expect(address).toMatchObject({ address: "127.0.0.1", family: "IPv4", port: server.port });
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
  });

  it("answers requests: listExamples, openExample", async () => {
    const client = await connect();
    const examples = await client.request("listExamples", {});
    expect(examples).toMatchObject({ kind: "response", ok: true });
    const names = (examples as { result: { name: string }[] }).result.map((example) => example.name);
    expect(names).toContain("seed-download-preprocess");
    const opened = await client.request("openExample", { name: "seed-download-preprocess" });
    expect(opened.ok).toBe(true);
    const spec = (opened as { result: { spec: { nodes: { id: string }[] } } }).result.spec;
    expect(spec.nodes.map((node) => node.id)).toEqual(["urls", "download", "preprocess", "sink"]);
  });

  it("answers a bad request with an error: unknown name, params not an object, a bad field, a bad frame", async () => {
    const client = await connect();
    const unknown = await client.request("formatDisk", {});
    expect(unknown).toMatchObject({ ok: false, error: { name: "RequestError" } });
    expect(!unknown.ok && unknown.error.message).toContain("unknown request 'formatDisk'");
    const notObject = await client.request("listExamples", [1, 2]);
    expect(notObject).toMatchObject({
      ok: false,
      error: { name: "RequestError", message: "bad request 'listExamples': params must be an object, got an array" },
    });
    const badField = await client.request("setConcurrency", { stage: "download", concurrency: 0 });
    expect(badField).toMatchObject({ ok: false, error: { name: "RequestError" } });
    expect(!badField.ok && badField.error.message).toBe("bad request 'setConcurrency': params.concurrency: must be ≥ 1, got 0");
    // What was given, its type and a short preview: never "is required" for a value that is there.
    const wrongType = await client.request("setConcurrency", { stage: "download", concurrency: "abc" });
    expect(!wrongType.ok && wrongType.error.message).toBe(
      `bad request 'setConcurrency': params.concurrency: must be a number, got string "abc"`,
    );
    const wrongChoice = await client.request("stopRun", { mode: "x".repeat(200) });
    expect(!wrongChoice.ok && wrongChoice.error.message).toBe(
      `bad request 'stopRun': params.mode: must be one of "abort", "drain", got "${"x".repeat(58)}…`,
    );
    const notJson = await client.sendRaw("{not json", -1);
    expect(notJson).toMatchObject({ id: -1, ok: false, error: { name: "ProtocolError" } });
    const wrongKind = await client.sendRaw(JSON.stringify({ kind: "event", id: 7 }), 7);
    expect(wrongKind).toMatchObject({ id: 7, ok: false, error: { name: "ProtocolError" } });
    const session = await client.request("stopRun", { mode: "abort" });
    expect(session).toMatchObject({ ok: false, error: { name: "Error", message: "no run in progress" } });
  });

  it("a path whose open would block (named pipes) or never end (/dev/zero) fails at once; the page, Save and other requests still answer", async () => {
    // More pipes than libuv has file-system threads (4): waiting on them would stall every file read.
    const pipes = Array.from({ length: 6 }, (_, index) => join(home, `pipe-${index}.pipeline.json`));
    for (const pipe of pipes) namedPipes.push(makeNamedPipe(pipe));
    const client = await connect();
    const opens = [...pipes, "/dev/zero"].map(async (path) => ({ path, response: await client.request("openFile", { path }) }));

    expect((await fetch(`http://127.0.0.1:${server.port}/`)).status).toBe(200);
    const opened = await client.request("openExample", { name: "input-order" });
    if (!opened.ok) throw new Error(opened.error.message);
    const saved = await client.request("saveFile", {
      path: join(home, "copy.pipeline.json"),
      spec: (opened.result as { spec: unknown }).spec,
    });
    expect(saved).toMatchObject({ ok: true, result: { path: join(home, "copy.pipeline.json") } });

    for (const { path, response } of await Promise.all(opens)) {
      const kind = path === "/dev/zero" ? "a character device" : "a named pipe";
      expect(response).toMatchObject({
        ok: false,
        error: { name: "SpecError", message: `$: cannot read ${path}: not a regular file (${kind})` },
      });
    }
  });

  it("carries a SpecError's problems", async () => {
    const client = await connect();
    const response = await client.request("startRun", {
      spec: { format: "pipeline-studio/1", nodes: [{ id: "a", kind: "teleporter" }], edges: [] },
    });
    expect(response).toMatchObject({ ok: false, error: { name: "SpecError" } });
    if (response.ok) throw new Error("expected an error");
    expect(response.error.problems?.length).toBeGreaterThan(0);
    expect(response.error.problems?.[0]).toMatchObject({ path: expect.stringMatching(/^nodes\[0\]/) });
  });

  it("runs user code only for a request that carries the user's confirmation of its modules", async () => {
    const module = join(home, "double.mjs");
    await writeFile(module, "export function double(item) { return item * 2; }\n");
    const spec = {
      format: "pipeline-studio/1",
      nodes: [
        { id: "numbers", kind: "source", op: "range", params: { count: 10 } },
        { id: "double", kind: "stage", op: "module", params: { path: module, export: "double" }, runOn: "loop" },
        { id: "out", kind: "sink" },
      ],
      edges: [
        { from: "numbers", to: "double" },
        { from: "double", to: "out" },
      ],
    };
    const client = await connect();
    const validation = await client.request("validate", { spec });
    expect(validation).toMatchObject({ ok: true, result: { userCode: [module] } });
    const unconfirmed = await client.request("startRun", { spec });
    expect(unconfirmed).toMatchObject({
      ok: false,
      error: { name: "UnconfirmedUserCodeError", message: expect.stringContaining(`not confirmed: ${module}`) },
    });
    const ended = client.waitForEvent((event) => event.type === "runEnded");
    expect(await client.request("startRun", { spec, allowUserCode: [module] })).toMatchObject({ ok: true });
    expect(await ended).toMatchObject({ ended: { outcome: "completed", snapshot: { itemsDelivered: 10 } } });
  });

  it("broadcasts run events to every client: the host's activity, runStats, then runEnded", async () => {
    const client = await connect();
    const watcher = await connect();
    const opened = await client.request("openExample", { name: "input-order" });
    if (!opened.ok) throw new Error(opened.error.message);
    const ended = client.waitForEvent((event) => event.type === "runEnded");
    const watcherEnded = watcher.waitForEvent((event) => event.type === "runEnded");
    const started = await client.request("startRun", { spec: (opened.result as { spec: unknown }).spec });
    expect(started.ok).toBe(true);
    const runId = (started as { result: { runId: string } }).result.runId;
    const last = (await ended) as Extract<StudioEvent, { type: "runEnded" }>;
    await watcherEnded;
    const outcome: RunEnded = last.ended;
    expect(outcome).toMatchObject({ runId, outcome: "completed", error: null });
    expect(outcome.snapshot.itemsDelivered).toBe(300);
    const types = client.events.map((event) => event.type);
    // Every page hears that the host started a run (and, after runEnded, that it is idle again).
    expect(types.indexOf("activity")).toBeLessThan(types.indexOf("runStats"));
    const runEvents = types.filter((type) => type !== "activity");
    expect(runEvents.filter((type) => type === "runStats").length).toBeGreaterThan(2);
    expect(runEvents.indexOf("runStats")).toBeLessThan(runEvents.indexOf("runEnded"));
    expect(runEvents.at(-1)).toBe("runEnded");
    expect(watcher.events.some((event) => event.type === "runStats")).toBe(true);
  });

  it("refuses the WebSocket without the token, with a wrong token, and from a foreign Origin", async () => {
    const origin = { Origin: `http://127.0.0.1:${server.port}` };
    expect(await upgradeStatus(apiUrl(null), origin)).toBe(401);
    expect(await upgradeStatus(apiUrl(""), origin)).toBe(401);
    expect(await upgradeStatus(apiUrl("not-the-token"), origin)).toBe(403);
    expect(await upgradeStatus(apiUrl(wrongToken(server.token)), origin)).toBe(403);
    expect(await upgradeStatus(apiUrl(), { Origin: "http://evil.example" })).toBe(403);
    expect(await upgradeStatus(apiUrl(), { Origin: `http://127.0.0.1:${server.port + 1}` })).toBe(403);
    expect(await upgradeStatus(apiUrl(), { Origin: "null" })).toBe(403);
    expect(await upgradeStatus(apiUrl(), { ...origin, Host: `evil.example:${server.port}` })).toBe(403);
    expect(await upgradeStatus(`ws://127.0.0.1:${server.port}/other?token=${server.token}`, origin)).toBe(404);
    // the server's own origins, under either name, with the token
    expect(await upgradeStatus(apiUrl(), origin)).toBe("open");
    expect(await upgradeStatus(apiUrl(), { Origin: `http://localhost:${server.port}` })).toBe("open");
    expect(server.clientCount).toBeLessThanOrEqual(2);
  });

  it("refuses a wrong token also when the right one ends in the character a careless test would swap in", async () => {
    const endsInX = await startStudioServer({ session, port: 0, rendererDir, token: `${"A".repeat(31)}x` });
    try {
      const url = `ws://127.0.0.1:${endsInX.port}/api?token=${wrongToken(endsInX.token)}`;
      expect(await upgradeStatus(url, { Origin: `http://127.0.0.1:${endsInX.port}` })).toBe(403);
    } finally {
      await endsInX.close();
    }
  });

  it("serves the built renderer with content types and a strict CSP", async () => {
    const page = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await page.text()).toContain('<div id="root">');
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).not.toContain("eval");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");

    const withToken = await fetch(server.url);
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).not.toContain(server.token);

    const script = await fetch(`http://127.0.0.1:${server.port}/assets/app.js`);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await script.text()).toContain("console.log");
    expect((await fetch(`http://127.0.0.1:${server.port}/assets/app.css`)).headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect((await fetch(`http://127.0.0.1:${server.port}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${server.port}/`, { method: "POST" })).status).toBe(405);
    expect((await fetch(`http://127.0.0.1:${server.port}/favicon.ico`)).status).toBe(204);
    expect((await fetch(`http://127.0.0.1:${server.port}/api`)).status).toBe(426);
  });

  it("never serves a file outside the renderer folder, nor to a foreign Host", async () => {
    for (const path of ["/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt", "/..%5csecret.txt"]) {
      const response = await rawGet(path);
      expect(response.status, path).toBe(404);
      expect(response.body).not.toContain("outside the renderer");
    }
    expect((await rawGet("/", { Host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await rawGet("/", { Host: `localhost:${server.port}` })).status).toBe(200);
  });

  it("says the renderer is not built when dist/renderer is missing", async () => {
    const bare = await startStudioServer({ session, port: 0, rendererDir: join(home, "no-such-dir") });
    try {
      const page = await fetch(`http://127.0.0.1:${bare.port}/`);
      expect(page.status).toBe(503);
      expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(await page.text()).toContain("The renderer is not built: run <code>npm run build</code>");
    } finally {
      await bare.close();
    }
  });
});
