import { ControlButton } from "@xyflow/react";
import { useCanvasSettings } from "../store/canvasSettings.js";
import { showDialog } from "../store/dialog.js";
import { useDocument } from "../store/document.js";
import { showNotice } from "../store/notice.js";
import { addNoteToWrite } from "./noteEditing.js";

/** The canvas's own buttons, under React Flow's zoom controls: note, group, snap to grid, shortcut help. */
export function CanvasControls() {
  const snapToGrid = useCanvasSettings((s) => s.snapToGrid);
  const toggleSnap = useCanvasSettings((s) => s.toggleSnapToGrid);
  const anySelected = useDocument((s) => s.nodes.some((n) => n.selected));

  const group = () => {
    if (!useDocument.getState().groupSelection()) showNotice({ kind: "info", text: "Select the nodes to group first (Shift-drag a box)" });
  };

  return (
    <>
      <ControlButton onClick={addNoteToWrite} title="Add a note (Shift-N)" aria-label="Add a note" data-testid="add-note">
        <span className="control-glyph">✎</span>
      </ControlButton>
      <ControlButton
        onClick={group}
        title="Group the selected nodes (Ctrl/Cmd-G)"
        aria-label="Group the selected nodes"
        data-testid="group-selection"
        className={anySelected ? undefined : "control-idle"}
      >
        <span className="control-glyph">⬚</span>
      </ControlButton>
      <ControlButton
        onClick={toggleSnap}
        title={snapToGrid ? "Snap to grid: on (click to turn off)" : "Snap to grid: off (click to turn on)"}
        aria-label="Snap to grid"
        aria-pressed={snapToGrid}
        data-testid="snap-to-grid"
        className={snapToGrid ? "control-on" : undefined}
      >
        <span className="control-glyph">#</span>
      </ControlButton>
      <ControlButton
        onClick={() => showDialog({ kind: "shortcuts" })}
        title="Keyboard shortcuts (?)"
        aria-label="Keyboard shortcuts"
        data-testid="shortcuts-help"
      >
        <span className="control-glyph">?</span>
      </ControlButton>
    </>
  );
}
