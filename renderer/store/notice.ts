import { create } from "zustand";

export interface Notice {
  kind: "error" | "info";
  text: string;
  /**
   * "hostActivity": a refusal caused by the host's state (a Run refused while a run is in
   * progress, Stop or Pause with none, an edit refused while the graph is locked); it goes by
   * itself once the host's activity or the edit lock changes, so no stale banner outlives its
   * cause. Without it an error stays until dismissed: one the user must read (a file that did
   * not open or save, a report not written).
   */
  until?: "hostActivity";
  /** An info the user must be able to read again (where an uploaded file's relative paths resolve): stays until dismissed. */
  sticky?: boolean;
}

/** The one message over the top of the canvas: an error stays until dismissed, an info goes by itself (unless sticky). */
export const useNotice = create<{ notice: Notice | null }>()(() => ({ notice: null }));

export function showNotice(notice: Notice): void {
  useNotice.setState({ notice });
}

export function showError(text: string, until?: Notice["until"]): void {
  showNotice(until ? { kind: "error", text, until } : { kind: "error", text });
}

/** The host's activity (or the edit lock) changed: a refusal caused by it is stale now. */
export function clearActivityNotice(): void {
  if (useNotice.getState().notice?.until === "hostActivity") dismissNotice();
}

export function dismissNotice(): void {
  useNotice.setState({ notice: null });
}
