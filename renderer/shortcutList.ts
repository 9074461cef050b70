/**
 * Every key the editor answers, as the user reads it (the keyboard help renders this list).
 * Kept beside shortcuts.ts, which handles them; a key added there is added here.
 */
export const SHORTCUTS: { keys: string; does: string }[] = [
  { keys: "Delete / Backspace", does: "Delete the selected nodes and wires" },
  { keys: "Ctrl/Cmd-Z", does: "Undo" },
  { keys: "Shift-Ctrl/Cmd-Z, Ctrl/Cmd-Y", does: "Redo" },
  { keys: "Ctrl/Cmd-C", does: "Copy the selected nodes" },
  { keys: "Ctrl/Cmd-V", does: "Paste" },
  { keys: "Ctrl/Cmd-A", does: "Select all nodes" },
  { keys: "Ctrl/Cmd-S", does: "Save" },
  { keys: "Shift-Ctrl/Cmd-S", does: "Save as…" },
  { keys: "Ctrl/Cmd-F", does: "Find a node by name or op (Enter / Shift-Enter: next / previous match)" },
  { keys: "Double-click the canvas", does: "Quick-add: pick an op to add there" },
  { keys: "Drop a wire in empty space", does: "Quick-add: pick an op to add there, wired from that output" },
  { keys: "Right-click", does: "Context menu of a node, a wire or the canvas (arrow keys, Enter)" },
  { keys: "Menu key / Shift-F10", does: "Context menu of the selected node (or of the canvas)" },
  { keys: "Escape", does: "Close the op picker, a context menu or the search" },
  { keys: "Shift-drag", does: "Select the nodes in a box" },
];
