import { create } from "zustand";

export interface Notice {
  kind: "error" | "info";
  text: string;
}

/** The one message under the toolbar: an error stays until dismissed, an info goes by itself. */
export const useNotice = create<{ notice: Notice | null }>()(() => ({ notice: null }));

export function showNotice(notice: Notice): void {
  useNotice.setState({ notice });
}

export function showError(text: string): void {
  showNotice({ kind: "error", text });
}

export function dismissNotice(): void {
  useNotice.setState({ notice: null });
}
