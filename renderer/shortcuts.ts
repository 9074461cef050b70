import { useEffect } from "react";
import { useDocument } from "./store/document.js";
import { showDialog, useDialog } from "./store/dialog.js";
import { save } from "./store/fileCommands.js";

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/** Editor keys: Delete, Ctrl/Cmd-Z / Shift-Z / Y, C, V, A, S. Ignored while typing in a field or a dialog is open. */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (typingInto(event.target) || useDialog.getState().dialog) return;
      const doc = useDocument.getState();
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (!mod && (event.key === "Delete" || event.key === "Backspace")) {
        event.preventDefault();
        doc.deleteSelection();
      } else if (mod && key === "z") {
        event.preventDefault();
        if (event.shiftKey) doc.redo();
        else doc.undo();
      } else if (mod && key === "y") {
        event.preventDefault();
        doc.redo();
      } else if (mod && key === "c") {
        doc.copySelection();
      } else if (mod && key === "v") {
        event.preventDefault();
        doc.paste();
      } else if (mod && key === "a") {
        event.preventDefault();
        doc.selectAll();
      } else if (mod && key === "s") {
        event.preventDefault();
        if (event.shiftKey) showDialog({ kind: "saveAs" });
        else void save();
      }
    };
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!useDocument.getState().dirty) return;
      event.preventDefault();
      event.returnValue = "";
    };
    window.addEventListener("keydown", onKey);
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => {
      window.removeEventListener("keydown", onKey);
      window.removeEventListener("beforeunload", onBeforeUnload);
    };
  }, []);
}
