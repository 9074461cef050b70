import { create } from "zustand";
import type { ExampleInfo } from "../api/types.js";

export type Dialog =
  /** error: why the last file chosen did not open (shown in the dialog, not behind it). */
  | { kind: "open"; examples: ExampleInfo[]; recent: string[]; error?: string }
  | { kind: "saveAs" }
  | { kind: "export"; language: "ts" | "python"; code: string }
  | { kind: "runs" }
  | { kind: "shortcuts" }
  | null;

/** The dialog on show, at most one (null: none). */
export const useDialog = create<{ dialog: Dialog }>()(() => ({ dialog: null }));

export function showDialog(dialog: Dialog): void {
  useDialog.setState({ dialog });
}

export function closeDialog(): void {
  useDialog.setState({ dialog: null });
}
