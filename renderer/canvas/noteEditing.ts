import { create } from "zustand";
import { onGrid } from "../store/canvasSettings.js";
import { useDocument } from "../store/document.js";
import { viewCentre } from "./viewCentre.js";

/** The note that opens for writing as it appears (a note just added); null once it has. */
export const useNoteToWrite = create<{ id: string | null }>()(() => ({ id: null }));

/** Half a new note's size: it is centred on the view's middle (then moved below any node it would hide). */
const HALF_NOTE = { x: 110, y: 60 };

/** A new note in the middle of the view, open for writing: the control's and Shift-N's command. */
export function addNoteToWrite(): void {
  const centre = viewCentre();
  const at = onGrid({ x: centre.x - HALF_NOTE.x, y: centre.y - HALF_NOTE.y });
  useNoteToWrite.setState({ id: useDocument.getState().addNote(at) });
}
