import { useEffect } from "react";
import { addNoteToWrite } from "./canvas/noteEditing.js";
import { useDocument } from "./store/document.js";
import { showDialog, useDialog } from "./store/dialog.js";
import { openMenuFromKeyboard } from "./canvas/menuFromKeyboard.js";
import { closeOverlays, setSearchOpen } from "./store/canvasOverlay.js";
import { save } from "./store/fileCommands.js";
import { selectedAnnotations } from "./graph/annotations.js";

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/** The keys of a key press, as the shortcut list writes them. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

/**
 * Whether a press is these keys ("Ctrl/Cmd-Shift-Z", "Shift-N", "?", "Delete"). Shift must match
 * for a letter; a symbol ("?") is whatever Shift it takes on the keyboard at hand.
 */
export function pressed(keys: string, press: KeyPress): boolean {
  const parts = keys.split("-");
  const key = KEY_NAMES[parts[parts.length - 1]!] ?? parts[parts.length - 1]!;
  const mod = parts.includes("Ctrl/Cmd");
  if (mod !== (press.ctrlKey || press.metaKey)) return false;
  if (/^[A-Z]$/.test(key)) return press.key.toLowerCase() === key.toLowerCase() && press.shiftKey === parts.includes("Shift");
  return press.key === key;
}

/** Keys the list names for the user, as the browser names them. */
const KEY_NAMES: Record<string, string> = { "Menu key": "ContextMenu" };

/**
 * Each editor key and what it does; every one is listed in SHORTCUTS (shortcutList.ts).
 * `whileTyping`: it works from a field too (the graph search's own box, the op picker's).
 */
export const KEY_BINDINGS: { keys: string; whileTyping?: boolean; run(event: KeyboardEvent): void }[] = [
  {
    // The graph's search, not the browser's find in the page.
    keys: "Ctrl/Cmd-F",
    whileTyping: true,
    run: () => {
      closeOverlays();
      setSearchOpen(true);
    },
  },
  {
    keys: "Escape",
    whileTyping: true,
    run: (event) => {
      closeOverlays();
      if (!typingInto(event.target)) setSearchOpen(false);
    },
  },
  { keys: "Menu key", run: () => void openMenuFromKeyboard() },
  { keys: "Shift-F10", run: () => void openMenuFromKeyboard() },
  { keys: "?", run: () => showDialog({ kind: "shortcuts" }) },
  { keys: "Delete", run: () => useDocument.getState().deleteSelection() },
  { keys: "Backspace", run: () => useDocument.getState().deleteSelection() },
  { keys: "Ctrl/Cmd-Z", run: () => useDocument.getState().undo() },
  { keys: "Ctrl/Cmd-Shift-Z", run: () => useDocument.getState().redo() },
  { keys: "Ctrl/Cmd-Y", run: () => useDocument.getState().redo() },
  { keys: "Ctrl/Cmd-C", run: () => useDocument.getState().copySelection() },
  { keys: "Ctrl/Cmd-V", run: () => useDocument.getState().paste() },
  { keys: "Ctrl/Cmd-A", run: () => useDocument.getState().selectAll() },
  { keys: "Ctrl/Cmd-S", run: () => void save() },
  { keys: "Ctrl/Cmd-Shift-S", run: () => showDialog({ kind: "saveAs" }) },
  { keys: "Ctrl/Cmd-G", run: () => useDocument.getState().groupSelection() },
  {
    keys: "Ctrl/Cmd-Shift-G",
    run: () => {
      const doc = useDocument.getState();
      for (const id of selectedAnnotations({ notes: [], groups: doc.groups })) doc.ungroup(id);
    },
  },
  { keys: "Shift-N", run: addNoteToWrite },
];

/** Copy keeps the browser's own copy too (it copies nothing on the canvas); every other key is the editor's alone. */
const BROWSER_KEEPS = new Set(["Ctrl/Cmd-C", "Escape"]);

/** Editor keys (KEY_BINDINGS); ignored while a dialog is open, and while typing in a field except those marked whileTyping. Asks before leaving with unsaved changes. */
export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (useDialog.getState().dialog) return;
      const binding = KEY_BINDINGS.find((b) => pressed(b.keys, event));
      if (!binding || (!binding.whileTyping && typingInto(event.target))) return;
      if (!BROWSER_KEEPS.has(binding.keys)) event.preventDefault();
      binding.run(event);
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
