import type { StudioApi } from "./types.js";
import { WebSocketStudioApi, type ConnectionState } from "./websocketApi.js";

export { HostError } from "./websocketApi.js";
export type { ConnectionState } from "./websocketApi.js";

declare global {
  interface Window {
    /** Exposed by electron/preload.ts with contextBridge. */
    studioApi?: StudioApi;
  }
}

export type ApiConnection =
  | { kind: "electron"; api: StudioApi; onConnectionState: (listener: (state: ConnectionState) => void) => () => void }
  | { kind: "websocket"; api: WebSocketStudioApi; onConnectionState: (listener: (state: ConnectionState) => void) => () => void }
  | { kind: "no-token" };

/** Electron's preload API when present; otherwise the host's WebSocket, which needs the launch token. */
export function connect(location: Location = window.location): ApiConnection {
  if (window.studioApi) {
    return { kind: "electron", api: window.studioApi, onConnectionState: (listener) => (listener("open"), () => undefined) };
  }
  const token = new URLSearchParams(location.search).get("token");
  if (!token) return { kind: "no-token" };
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const api = new WebSocketStudioApi(`${scheme}//${location.host}/api?token=${encodeURIComponent(token)}`);
  return {
    kind: "websocket",
    api,
    onConnectionState: (listener) => {
      listener(api.state);
      return api.onConnectionState(listener);
    },
  };
}
