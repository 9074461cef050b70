import { create } from "zustand";

export interface Notice {
  kind: "error" | "info";
  text: string;
  /**
   * "hostActivity": an error about what the host is busy with (a run in progress, a profile);
   * it goes by itself once that changes, so no stale banner outlives its cause.
   */
  until?: "hostActivity";
}

/** The one message under the toolbar: an error stays until dismissed, an info goes by itself. */
export const useNotice = create<{ notice: Notice | null }>()(() => ({ notice: null }));

export function showNotice(notice: Notice): void {
  useNotice.setState({ notice });
}

export function showError(text: string, until?: Notice["until"]): void {
  showNotice(until ? { kind: "error", text, until } : { kind: "error", text });
}

/** The host's activity changed: an error about it is stale now. */
export function clearActivityNotice(): void {
  if (useNotice.getState().notice?.until === "hostActivity") dismissNotice();
}

export function dismissNotice(): void {
  useNotice.setState({ notice: null });
}
