import { create } from "zustand";
import type { ConnectionState } from "../api/index.js";
import type { StudioApi } from "../api/types.js";
import { showError, type Notice } from "./notice.js";

/** How the link to the host stands (Electron's is always open; the WebSocket's may close). */
export const useConnection = create<{ state: ConnectionState }>()(() => ({ state: "connecting" }));

export function setConnection(state: ConnectionState): void {
  useConnection.setState({ state });
}

let api: StudioApi | null = null;

/** The one handle on the host that every request goes through: set when a session starts, cleared when it stops. */
export function setHostApi(studioApi: StudioApi | null): void {
  api = studioApi;
}

export function hostApi(): StudioApi | null {
  return api;
}

export function requireApi(): StudioApi {
  if (!api) throw new Error("not connected to the host");
  return api;
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Runs a host request; a failure becomes the error notice and undefined. `until`: the failure
 * is a refusal caused by the host's state (see Notice), gone when that changes.
 */
export async function guarded<T>(action: () => Promise<T>, until?: Notice["until"]): Promise<T | undefined> {
  try {
    return await action();
  } catch (error) {
    showError(errorText(error), until);
    return undefined;
  }
}
