/**
 * Electron's main process, run without Electron: the `electron` module is replaced by a small
 * fake that records what main asks of it, so the window's settings, the app:// protocol and its
 * CSP, the IPC checks, event forwarding, navigation blocking and the menu are exercised here.
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RequestReply } from "../host/requests.js";

type Handler = (...args: any[]) => any;

const fake = vi.hoisted(() => {
  const state = {
    appHandlers: new Map<string, Handler[]>(),
    privileged: [] as unknown[],
    protocolHandlers: new Map<string, Handler>(),
    ipcHandlers: new Map<string, Handler>(),
    windows: [] as any[],
    menu: null as any,
    headersHook: null as Handler | null,
    permissionHandler: null as Handler | null,
    sandboxEnabled: false,
    quitCalls: 0,
  };
  class FakeWebContents {
    sent: { channel: string; payload: unknown }[] = [];
    handlers = new Map<string, Handler>();
    windowOpenHandler: Handler | null = null;
    send(channel: string, payload: unknown) {
      this.sent.push({ channel, payload });
    }
    on(event: string, handler: Handler) {
      this.handlers.set(event, handler);
      return this;
    }
    setWindowOpenHandler(handler: Handler) {
      this.windowOpenHandler = handler;
    }
  }
  class BrowserWindow {
    static getAllWindows() {
      return state.windows;
    }
    webContents = new FakeWebContents();
    loadedUrl: string | null = null;
    constructor(readonly options: any) {
      state.windows.push(this);
    }
    once() {
      return this;
    }
    on() {
      return this;
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    focus() {}
    async loadURL(url: string) {
      this.loadedUrl = url;
    }
  }
  const electron = {
    app: {
      isPackaged: false,
      enableSandbox: () => {
        state.sandboxEnabled = true;
      },
      requestSingleInstanceLock: () => true,
      on: (event: string, handler: Handler) => {
        state.appHandlers.set(event, [...(state.appHandlers.get(event) ?? []), handler]);
      },
      whenReady: () => Promise.resolve(),
      getVersion: () => "0.0.0-test",
      quit: () => {
        state.quitCalls++;
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => state.privileged.push(...schemes),
      handle: (scheme: string, handler: Handler) => state.protocolHandlers.set(scheme, handler),
    },
    ipcMain: { handle: (channel: string, handler: Handler) => state.ipcHandlers.set(channel, handler) },
    BrowserWindow,
    Menu: {
      buildFromTemplate: (template: unknown) => template,
      setApplicationMenu: (menu: unknown) => {
        state.menu = menu;
      },
    },
    dialog: {
      showMessageBox: async () => ({ response: 0 }),
      showMessageBoxSync: () => 1,
      showOpenDialog: async () => ({ canceled: false, filePaths: ["/data/chosen.pipeline.json"] }),
      showSaveDialog: async () => ({ canceled: false, filePath: "/data/saved-as.pipeline.json" }),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: Handler) => {
          state.permissionHandler = handler;
        },
        setPermissionCheckHandler: () => {},
        webRequest: {
          onHeadersReceived: (handler: Handler) => {
            state.headersHook = handler;
          },
        },
      },
    },
  };
  return { state, electron, FakeWebContents };
});

vi.mock("electron", () => fake.electron);

let home: string;
const previousHome = process.env.PIPELINE_STUDIO_HOME;

/** The pipeline file given on main's command line (as `npm start -- FILE` passes it to Electron). */
let launchedFile: string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "studio-electron-main-"));
  process.env.PIPELINE_STUDIO_HOME = home;
  launchedFile = join(home, "launched.pipeline.json");
  copyFileSync(new URL("../examples/input-order.pipeline.json", import.meta.url), launchedFile);
  const before = { SIGINT: process.listeners("SIGINT"), SIGTERM: process.listeners("SIGTERM") };
  const argv = process.argv;
  // Electron's argv: the binary, the main script, a Chromium switch, then the file.
  process.argv = [argv[0]!, "dist/electron/main.js", "--enable-logging", launchedFile];
  try {
    await import("./main.js");
  } finally {
    process.argv = argv;
  }
  // main quits the app on SIGINT / SIGTERM; in this test process, leave the signals alone
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    for (const listener of process.listeners(signal)) if (!before[signal].includes(listener)) process.off(signal, listener);
  }
  for (let i = 0; i < 100 && fake.state.windows.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
});

afterAll(async () => {
  // will-quit closes the session (stops a run) and then quits
  const event = { preventDefault: vi.fn() };
  for (const handler of fake.state.appHandlers.get("will-quit") ?? []) handler(event);
  for (let i = 0; i < 100 && fake.state.quitCalls === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(event.preventDefault).toHaveBeenCalled();
  expect(fake.state.quitCalls).toBeGreaterThan(0);
  if (previousHome === undefined) delete process.env.PIPELINE_STUDIO_HOME;
  else process.env.PIPELINE_STUDIO_HOME = previousHome;
  rmSync(home, { recursive: true, force: true });
});

function mainWindow() {
  const window = fake.state.windows[0];
  if (!window) throw new Error("main created no window");
  return window;
}

function invoke(
  name: unknown,
  params: unknown,
  frameUrl = "app://studio/index.html",
  sender = mainWindow().webContents,
): Promise<RequestReply> {
  const handler = fake.state.ipcHandlers.get("studio:request");
  if (!handler) throw new Error("no studio:request handler");
  return handler({ sender, senderFrame: { url: frameUrl } }, name, params);
}

describe("Electron main (with a fake electron module)", () => {
  it("opens one locked-down window on app://, with the sandbox enabled", () => {
    expect(fake.state.sandboxEnabled).toBe(true);
    const { webPreferences } = mainWindow().options;
    expect(webPreferences).toMatchObject({
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      webviewTag: false,
    });
    expect(webPreferences.preload).toMatch(/electron[/\\]preload\.cjs$/);
    expect(mainWindow().loadedUrl).toBe("app://studio/index.html");
    expect(fake.state.privileged).toEqual([{ scheme: "app", privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it("serves the renderer on app:// with the strict CSP, and nothing else", async () => {
    const handler = fake.state.protocolHandlers.get("app");
    if (!handler) throw new Error("no app:// handler");
    const page = (await handler(new Request("app://studio/index.html"))) as Response;
    expect([200, 503]).toContain(page.status);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("eval");
    expect(((await handler(new Request("app://elsewhere/index.html"))) as Response).status).toBe(404);
    expect(((await handler(new Request("app://studio/%2e%2e/%2e%2e/package.json"))) as Response).status).toBe(404);
    // and as a header on anything else the session loads
    const hooked = await new Promise<any>((resolve) => fake.state.headersHook?.({ responseHeaders: { A: ["b"] } }, resolve));
    expect(hooked.responseHeaders["Content-Security-Policy"][0]).toContain("default-src 'self'");
  });

  it("answers IPC requests after checking the sender, the name and the params", async () => {
    const examples = await invoke("listExamples", {});
    expect(examples.ok).toBe(true);
    expect(await invoke("listExamples", {}, "https://evil.example/")).toMatchObject({
      ok: false,
      error: { message: "request from an untrusted page refused" },
    });
    expect(await invoke("listExamples", {}, "app://studio/index.html", new fake.FakeWebContents() as never)).toMatchObject({ ok: false });
    expect(await invoke("rmRf", {})).toMatchObject({ ok: false, error: { name: "RequestError" } });
    expect(await invoke("openFile", "/etc/passwd")).toMatchObject({ ok: false, error: { name: "RequestError" } });
    const spec = await invoke("startRun", { spec: { format: "pipeline-studio/1", nodes: [{ id: "a", kind: "teleporter" }], edges: [] } });
    expect(spec).toMatchObject({
      ok: false,
      error: { name: "SpecError", problems: [expect.objectContaining({ path: expect.stringMatching(/^nodes\[0\]/) })] },
    });
  });

  it("forwards the session's events to the window", async () => {
    const opened = await invoke("openExample", { name: "input-order" });
    if (!opened.ok) throw new Error(opened.error.message);
    const started = await invoke("startRun", { spec: (opened.result as { spec: unknown }).spec });
    expect(started.ok).toBe(true);
    const sent = mainWindow().webContents.sent as { channel: string; payload: any }[];
    for (let i = 0; i < 500 && !sent.some((message) => message.payload?.type === "runEnded"); i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sent.every((message) => message.channel === "studio:event")).toBe(true);
    expect(sent.some((message) => message.payload.type === "runStats")).toBe(true);
    expect(sent.find((message) => message.payload.type === "runEnded")?.payload.ended.outcome).toBe("completed");
  });

  it("blocks navigation, redirects, webviews, new windows and permissions", () => {
    const contents = new fake.FakeWebContents();
    for (const handler of fake.state.appHandlers.get("web-contents-created") ?? []) handler({}, contents);
    for (const event of ["will-navigate", "will-redirect", "will-attach-webview"]) {
      const preventDefault = vi.fn();
      contents.handlers.get(event)?.({ preventDefault });
      expect(preventDefault, event).toHaveBeenCalled();
    }
    expect(contents.windowOpenHandler?.({ url: "https://example.com" })).toEqual({ action: "deny" });
    const grant = vi.fn();
    fake.state.permissionHandler?.({}, "media", grant);
    expect(grant).toHaveBeenCalledWith(false);
  });

  it("builds the native menu; its items send menuCommand events", () => {
    const menu = fake.state.menu as { label?: string; role?: string; submenu?: any[] }[];
    const labels = menu.map((item) => item.label?.replace("&", "") ?? item.role);
    expect(labels).toEqual(expect.arrayContaining(["File", "Edit", "View", "Run", "Help"]));
    const find = (top: string, label: string) =>
      menu.find((item) => item.label === `&${top}`)?.submenu?.find((entry: any) => entry.label === label);
    const file = menu.find((item) => item.label === "&File")?.submenu ?? [];
    expect(file.map((entry: any) => entry.label).filter(Boolean)).toEqual(["New", "Open…", "Open Example", "Save", "Save As…", "Export"]);
    expect(find("File", "Open Example").submenu.length).toBeGreaterThanOrEqual(5);
    expect(find("File", "Export").submenu.map((entry: any) => entry.label)).toEqual(["TypeScript", "SPDL Python"]);
    const edit = menu.find((item) => item.label === "&Edit")?.submenu ?? [];
    expect(edit.map((entry: any) => entry.label ?? entry.role).filter(Boolean)).toEqual([
      "Undo",
      "Redo",
      "cut",
      "copy",
      "paste",
      "delete",
      "selectAll",
    ]);
    const sent = mainWindow().webContents.sent as { payload: any }[];
    sent.length = 0;
    find("Run", "Run").click();
    find("Run", "Stop").click();
    find("Run", "Auto-tune…").click();
    find("File", "Open Example").submenu[0].click();
    find("Edit", "Undo").click();
    find("Help", "Keyboard Shortcuts (?)").click();
    expect(sent.map((message) => message.payload)).toEqual([
      { type: "menuCommand", command: "run" },
      { type: "menuCommand", command: "stop" },
      { type: "menuCommand", command: "autoTune" },
      { type: "menuCommand", command: { openExample: expect.any(String) } },
      { type: "menuCommand", command: "undo" },
      { type: "menuCommand", command: "shortcuts" },
    ]);
  });

  it("Open… and Save As… use the native dialogs and send the chosen paths", async () => {
    const menu = fake.state.menu as { label?: string; submenu?: any[] }[];
    const file = menu.find((item) => item.label === "&File")?.submenu ?? [];
    const sent = mainWindow().webContents.sent as { payload: any }[];
    sent.length = 0;
    file.find((entry: any) => entry.label === "Open…").click();
    file.find((entry: any) => entry.label === "Save As…").click();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sent.map((message) => message.payload)).toEqual([
      { type: "menuCommand", command: { openFile: "/data/chosen.pipeline.json" } },
      { type: "menuCommand", command: { saveAs: "/data/saved-as.pipeline.json" } },
    ]);
  });
  it("a file named on the command line reaches the page: it is what the page opens first", async () => {
    const opened = await invoke("startupPipeline", {});
    if (!opened.ok) throw new Error(opened.error.message);
    expect(opened.result).toMatchObject({ path: launchedFile, spec: { name: "Input order" }, problems: [] });
  });

  it("started again with a file while open, the window opens it (relative to where that command ran)", () => {
    const sent = mainWindow().webContents.sent as { payload: any }[];
    sent.length = 0;
    for (const handler of fake.state.appHandlers.get("second-instance") ?? [])
      handler({}, ["/usr/bin/electron", "dist/electron/main.js", "--enable-logging", "other.pipeline.json"], "/home/ada/pipelines");
    expect(sent.map((message) => message.payload)).toEqual([
      { type: "menuCommand", command: { openFile: "/home/ada/pipelines/other.pipeline.json" } },
    ]);
    sent.length = 0;
    for (const handler of fake.state.appHandlers.get("second-instance") ?? [])
      handler({}, ["/usr/bin/electron", "dist/electron/main.js"], "/");
    expect(sent).toEqual([]);
  });
});
