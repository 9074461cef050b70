/**
 * Electron's main process: one window over the built renderer, the StudioSession (host and
 * engine run here), the StudioApi over IPC, the native menu. Thin: no engine logic.
 *
 * Security (docs/security.md): contextIsolation on, nodeIntegration off, sandboxed renderer; the page is
 * served from a privileged app:// scheme (not file://) with the same strict CSP as browser mode;
 * every IPC input is checked in main (sender, request name, params) before the session sees it;
 * navigation, new windows, webviews and permission requests are refused.
 */
import { BrowserWindow, Menu, app, dialog, ipcMain, protocol, session as electronSession, type IpcMainInvokeEvent } from "electron";
import { fileURLToPath } from "node:url";
import { rendererCsp } from "../host/csp.js";
import { electronLaunchFile } from "../host/launchOptions.js";
import type { MenuCommand, StudioEvent } from "../host/protocol.js";
import { answerRequest } from "../host/requests.js";
import { NOT_BUILT_PAGE, defaultRendererDir, readStaticFile, rendererIsBuilt } from "../host/server/staticFiles.js";
import { StudioSession } from "../host/session.js";
import { menuTemplate } from "./menu.js";

const SCHEME = "app";
const APP_ORIGIN = `${SCHEME}://studio`;
const PRELOAD = fileURLToPath(new URL("./preload.cjs", import.meta.url));
const RENDERER_DIR = defaultRendererDir();
const CSP = rendererCsp();

protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();

/** A pipeline file passed on the command line (`electron main.js FILE`, as npm start passes it) opens at launch. */
const studio = new StudioSession({ launchFile: electronLaunchFile(process.argv, { packaged: app.isPackaged, cwd: process.cwd() }) });
let mainWindow: BrowserWindow | null = null;

function sendEvent(event: StudioEvent): void {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send("studio:event", event);
}

function sendMenuCommand(command: MenuCommand): void {
  sendEvent({ type: "menuCommand", command });
}

function responseHeaders(contentType: string): Record<string, string> {
  return { "Content-Type": contentType, "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache" };
}

/** app://studio/… → the built renderer's files; nothing else. */
function serveRenderer(): void {
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== "studio" || request.method !== "GET") return new Response("not found", { status: 404 });
    const isPage = url.pathname === "/" || url.pathname === "/index.html";
    if (isPage && !(await rendererIsBuilt(RENDERER_DIR)))
      return new Response(NOT_BUILT_PAGE, { status: 503, headers: responseHeaders("text/html; charset=utf-8") });
    const file = await readStaticFile(RENDERER_DIR, url.pathname);
    if (!file) return new Response("not found", { status: 404 });
    return new Response(new Uint8Array(file.body), { status: 200, headers: responseHeaders(file.contentType) });
  });
}

function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frameUrl = event.senderFrame?.url ?? "";
  return mainWindow !== null && event.sender === mainWindow.webContents && frameUrl.startsWith(`${APP_ORIGIN}/`);
}

function answerRequests(): void {
  ipcMain.handle("studio:request", async (event, name: unknown, params: unknown) => {
    if (!isTrustedSender(event)) return { ok: false, error: { name: "RequestError", message: "request from an untrusted page refused" } };
    return answerRequest(studio, name, params);
  });
  studio.onEvent(sendEvent);
}

function lockDown(): void {
  const defaultSession = electronSession.defaultSession;
  defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  defaultSession.setPermissionCheckHandler(() => false);
  // Belt and braces: the CSP on any response that did not come from app:// either.
  defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, "Content-Security-Policy": [CSP] } });
  });
  app.on("web-contents-created", (_event, contents) => {
    contents.on("will-navigate", (navigation) => navigation.preventDefault());
    contents.on("will-redirect", (navigation) => navigation.preventDefault());
    contents.on("will-attach-webview", (attach) => attach.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: "deny" }));
  });
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: "Pipeline Studio",
    show: false,
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  window.once("ready-to-show", () => window.show());
  // The renderer sets beforeunload while there are unsaved changes; ask before closing.
  window.webContents.on("will-prevent-unload", (event) => {
    const choice = dialog.showMessageBoxSync(window, {
      type: "question",
      buttons: ["Close without saving", "Cancel"],
      defaultId: 1,
      cancelId: 1,
      title: "Unsaved changes",
      message: "The pipeline has unsaved changes. Close anyway?",
    });
    if (choice === 0) event.preventDefault();
  });
  window.on("closed", () => {
    if (mainWindow === window) mainWindow = null;
  });
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}

async function buildMenu(): Promise<void> {
  const examples = await studio.handle("listExamples", {}).catch(() => []);
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(examples, sendMenuCommand, () => mainWindow)));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // Started again (`npm start -- FILE` with the window open): this window comes forward and opens FILE, as editors do.
  app.on("second-instance", (_event, argv: string[], workingDirectory: string) => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
    const file = electronLaunchFile(argv, { packaged: app.isPackaged, cwd: workingDirectory });
    if (file) sendMenuCommand({ openFile: file });
  });
  app.on("window-all-closed", () => app.quit());

  let closed = false;
  app.on("will-quit", (event) => {
    if (closed) return;
    event.preventDefault();
    void studio
      .close()
      .catch(() => {})
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => app.quit());

  void app.whenReady().then(async () => {
    lockDown();
    serveRenderer();
    answerRequests();
    await buildMenu();
    mainWindow = createWindow();
    app.on("activate", () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
    });
  });
}
