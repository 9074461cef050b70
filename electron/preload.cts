/**
 * The renderer's only door to the host in Electron: window.studioApi, the StudioApi of
 * host/protocol.ts, exposed with contextBridge (contextIsolation on, sandboxed renderer). A
 * sandboxed preload must be CommonJS, hence .cts → dist/electron/preload.cjs. Main answers each
 * request with { ok, result } or { ok: false, error }; errors are rethrown here with the host's
 * name and message (the bridge copies an Error's message only, so problems ride in the message,
 * one per line, as SpecError writes them).
 */
import electron = require("electron");
import type { RequestName, RequestParams, RequestResult, StudioApi, StudioEvent } from "../host/protocol.js";

type Reply = { ok: true; result: unknown } | { ok: false; error: { name: string; message: string } };

const studioApi: StudioApi = {
  async request<N extends RequestName>(name: N, params: RequestParams<N>): Promise<RequestResult<N>> {
    const reply = (await electron.ipcRenderer.invoke("studio:request", name, params)) as Reply;
    if (reply.ok) return reply.result as RequestResult<N>;
    const error = new Error(reply.error.message);
    error.name = reply.error.name;
    throw error;
  },
  onEvent(listener: (event: StudioEvent) => void): () => void {
    const handler = (_event: unknown, studioEvent: StudioEvent) => listener(studioEvent);
    electron.ipcRenderer.on("studio:event", handler);
    return () => {
      electron.ipcRenderer.removeListener("studio:event", handler);
    };
  },
};

electron.contextBridge.exposeInMainWorld("studioApi", studioApi);
