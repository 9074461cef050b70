import { useEffect } from "react";
import { useDocument } from "./store/document.js";
import { showDialog, useDialog } from "./store/dialog.js";
import { openMenuFromKeyboard } from "./canvas/menuFromKeyboard.js";
import { closeOverlays, setSearchOpen } from "./store/canvasOverlay.js";
import { save } from "./store/fileCommands.js";

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/**
 * Editor keys (listed for the user in shortcutList.ts): Delete, Ctrl/Cmd-Z / Shift-Z / Y, C, V, A,
 * S, F (find a node), the Menu key or Shift-F10 (the selected node's context menu), Escape (closes the op picker, a context menu, the search). Ignored while
 * typing in a field or a dialog is open; Ctrl/Cmd-F and Escape work from the canvas's own fields too.
 */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (useDialog.getState().dialog) return;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (mod && key === "f" && !event.shiftKey && !event.altKey) {
        // The graph's search, not the browser's find in the page.
        event.preventDefault();
        closeOverlays();
        setSearchOpen(true);
        return;
      }
      if (event.key === "Escape") {
        closeOverlays();
        if (!typingInto(event.target)) setSearchOpen(false);
        return;
      }
      if (typingInto(event.target)) return;
      if (event.key === "ContextMenu" || (event.shiftKey && event.key === "F10")) {
        if (openMenuFromKeyboard()) event.preventDefault();
        return;
      }
      const doc = useDocument.getState();
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
