/**
 * Electron's binary cannot be had on this machine, so its thin layer is checked without it: the
 * built preload runs in a vm context the way Electron runs a sandboxed preload (a wrapper
 * function given a `require` that only knows "electron"), over a fake ipcRenderer wired to the
 * same answerRequest the main process uses; and the sources keep their security settings.
 */
import { readFile, readdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Script, createContext } from "node:vm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { StudioApi, StudioEvent } from "../host/protocol.js";
import { RecentFiles } from "../host/recentFiles.js";
import { answerRequest } from "../host/requests.js";
import { StudioSession } from "../host/session.js";

const repo = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
const preloadJs = join(repo, "dist/electron/preload.cjs");

let home: string;
let session: StudioSession;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), "studio-preload-"));
  session = new StudioSession({ recentFiles: new RecentFiles(join(home, "recent.json")) });
});
afterEach(async () => {
  await session.close();
  await rm(home, { recursive: true, force: true });
});

async function loadPreload(): Promise<{
  api: StudioApi;
  emit: (event: StudioEvent) => void;
  required: string[];
  listenerCount: () => number;
}> {
  if (!existsSync(preloadJs)) throw new Error(`${preloadJs} is missing: run npm run build first`);
  const source = await readFile(preloadJs, "utf8");
  const exposed = new Map<string, unknown>();
  const listeners = new Set<(event: unknown, payload: unknown) => void>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
    ipcRenderer: {
      invoke: async (channel: string, ...args: unknown[]) => {
        expect(channel).toBe("studio:request");
        // structured clone, as IPC does
        return structuredClone(await answerRequest(session, structuredClone(args[0]), structuredClone(args[1])));
      },
      on: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
        expect(channel).toBe("studio:event");
        listeners.add(listener);
      },
      removeListener: (_channel: string, listener: (event: unknown, payload: unknown) => void) => listeners.delete(listener),
    },
  };
  const required: string[] = [];
  const sandboxRequire = (name: string): unknown => {
    required.push(name);
    if (name === "electron") return electron;
    throw new Error(`a sandboxed preload cannot require ${name}`);
  };
  const wrapped = new Script(
    `(function (require, process, Buffer, global, setImmediate, clearImmediate, exports, module) {\n${source}\n})`,
    { filename: preloadJs },
  );
  const run = wrapped.runInContext(createContext({})) as (...args: unknown[]) => void;
  const module = { exports: {} };
  run(sandboxRequire, {}, undefined, {}, undefined, undefined, module.exports, module);
  const api = exposed.get("studioApi") as StudioApi | undefined;
  if (!api) throw new Error("the preload exposed no studioApi");
  return { api, emit: (event) => listeners.forEach((listener) => listener({}, event)), required, listenerCount: () => listeners.size };
}

describe("Electron preload (sandboxed, run without Electron)", () => {
  it("exposes studioApi: requests answered by the session, errors rethrown with name and message", async () => {
    const { api, required } = await loadPreload();
    expect(required).toEqual(["electron"]);
    const examples = await api.request("listExamples", {});
    expect(examples.map((example) => example.name)).toContain("seed-download-preprocess");
    const opened = await api.request("openExample", { name: "seed-download-preprocess" });
    expect(opened.spec.build.numThreads).toBe(3);
    await expect(api.request("setConcurrency", { stage: "x", concurrency: -2 })).rejects.toMatchObject({
      name: "RequestError",
      message: expect.stringContaining("params.concurrency"),
    });
    await expect(api.request("nope" as "listExamples", {})).rejects.toMatchObject({ name: "RequestError" });
    await expect(
      api.request("startRun", {
        spec: { format: "pipeline-studio/1", nodes: [{ id: "a", kind: "teleporter" }], edges: [] } as never,
        allowUserCode: [],
      }),
    ).rejects.toMatchObject({ name: "SpecError", message: expect.stringMatching(/^nodes\[0\]/) });
  });

  it("delivers events to listeners until they unsubscribe", async () => {
    const { api, emit, listenerCount } = await loadPreload();
    const seen: StudioEvent[] = [];
    const off = api.onEvent((event) => seen.push(event));
    emit({ type: "menuCommand", command: "run" });
    off();
    emit({ type: "menuCommand", command: "stop" });
    expect(seen).toEqual([{ type: "menuCommand", command: "run" }]);
    expect(listenerCount()).toBe(0);
  });
});

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(join(repo, dir), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && /\.(c|m)?tsx?$/.test(entry.name))
    .map((entry) => relative(repo, join(entry.parentPath, entry.name)))
    .filter((path) => !path.includes("node_modules"));
}

describe("Electron's layer stays thin and locked down", () => {
  it("imports 'electron' only inside electron/", async () => {
    const offenders: string[] = [];
    for (const dir of ["engine", "host", "renderer", "examples", "bench"].filter((d) => existsSync(join(repo, d)))) {
      for (const file of await sourceFiles(dir)) {
        if (file.endsWith(".test.ts")) continue;
        const text = await readFile(join(repo, file), "utf8");
        if (/(from\s+|require\(\s*|import\(\s*)["']electron["']/.test(text)) offenders.push(file);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("keeps the window's security settings", async () => {
    const main = await readFile(join(repo, "electron/main.ts"), "utf8");
    for (const setting of ["contextIsolation: true", "nodeIntegration: false", "sandbox: true", "webviewTag: false", "app.enableSandbox()"])
      expect(main).toContain(setting);
    expect(main).toContain('setWindowOpenHandler(() => ({ action: "deny" }))');
    expect(main).toMatch(/"will-navigate", \(navigation\) => navigation\.preventDefault\(\)/);
    expect(main).toContain("isTrustedSender(event)");
    expect(main).toContain("Content-Security-Policy");
    expect(main).toContain("window.loadURL(`${APP_ORIGIN}/index.html`)"); // app://, never file://
    expect(main).not.toMatch(/loadFile\(|loadURL\(["'`]file:/);
  });
});
