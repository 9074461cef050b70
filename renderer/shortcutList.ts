/**
 * Every editor key, as the Keyboard shortcuts dialog (`?`) lists it. shortcuts.ts binds its keys
 * by these same strings (a test checks each is here): "Ctrl/Cmd" is Ctrl, or ⌘ on a Mac.
 */
export const SHORTCUTS: { keys: string; does: string }[] = [
  { keys: "?", does: "Show these keyboard shortcuts" },
  { keys: "Delete", does: "Delete the selected nodes, wires, notes and groups (a group's nodes stay)" },
  { keys: "Backspace", does: "Delete the selection, as Delete" },
  { keys: "Ctrl/Cmd-Z", does: "Undo" },
  { keys: "Ctrl/Cmd-Shift-Z", does: "Redo" },
  { keys: "Ctrl/Cmd-Y", does: "Redo" },
  { keys: "Ctrl/Cmd-C", does: "Copy the selected nodes and the wires between them" },
  { keys: "Ctrl/Cmd-V", does: "Paste (renamed and offset)" },
  { keys: "Ctrl/Cmd-A", does: "Select every node" },
  { keys: "Ctrl/Cmd-S", does: "Save" },
  { keys: "Ctrl/Cmd-Shift-S", does: "Save As" },
  { keys: "Ctrl/Cmd-F", does: "Find a node by name or op (Enter / Shift-Enter: next / previous match)" },
  { keys: "Ctrl/Cmd-G", does: "Group the selected nodes in a labelled frame" },
  { keys: "Ctrl/Cmd-Shift-G", does: "Ungroup the selected groups (their nodes stay)" },
  { keys: "Shift-N", does: "Add a note in the middle of the canvas" },
  { keys: "Escape", does: "Close a dialog, the op picker, a context menu or the search; finish writing a note" },
  { keys: "Menu key", does: "Context menu of the selected node (or of the canvas)" },
  { keys: "Shift-F10", does: "Context menu of the selected node (or of the canvas)" },
  { keys: "Right-click", does: "Context menu of a node, a wire or the canvas (arrow keys, Enter)" },
  { keys: "Double-click the canvas", does: "Quick-add: pick an op to add there" },
  { keys: "Drop a wire in empty space", does: "Quick-add: pick an op to add there, wired from that output (or into that input)" },
  { keys: "Shift-drag", does: "Select the nodes in a box" },
  { keys: "Ctrl/Cmd-click", does: "Add a node to the selection" },
  { keys: "Double-click", does: "Write in a note; rename a group" },
];

const MODIFIERS = new Set(["Ctrl/Cmd", "Shift", "Alt"]);

/** The keys pressed together, for showing ("Ctrl/Cmd-Shift-Z" → three; "Double-click the canvas" is one gesture). */
export function keysPressedTogether(keys: string): string[] {
  const parts = keys.split("-");
  let modifiers = 0;
  while (modifiers < parts.length - 1 && MODIFIERS.has(parts[modifiers]!)) modifiers++;
  return [...parts.slice(0, modifiers), parts.slice(modifiers).join("-")];
}
