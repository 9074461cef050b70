import { NodeResizer, type NodeProps } from "@xyflow/react";
import { memo, useEffect, useState, type KeyboardEvent } from "react";
import { fileId, GROUP_MIN, NOTE_MIN, type GroupNode, type NoteNode } from "../graph/annotations.js";
import { useDocument } from "../store/document.js";
import { useNoteToWrite } from "./noteEditing.js";

/**
 * A note: text written in place (double-click; several lines; Escape or a click elsewhere keeps
 * it), resized by its corners once selected. Its text is one undo step per editing.
 */
function NoteView({ id, data, selected }: NodeProps<NoteNode>) {
  // A note just added opens for writing.
  const [draft, setDraft] = useState<string | null>(() => (useNoteToWrite.getState().id === id ? data.text : null));
  const name = fileId(id);
  useEffect(() => {
    if (useNoteToWrite.getState().id === id) useNoteToWrite.setState({ id: null });
  }, [id]);
  const finish = () => {
    if (draft !== null) useDocument.getState().setNoteText(id, draft);
    setDraft(null);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    // Escape keeps what was written (as leaving the field does); Enter makes a new line.
    if (event.key === "Escape") {
      event.stopPropagation();
      finish();
    }
  };
  return (
    <div className="note" data-testid={`note-${name}`} onDoubleClick={() => draft === null && setDraft(data.text)}>
      <NodeResizer isVisible={selected} minWidth={NOTE_MIN.width} minHeight={NOTE_MIN.height} />
      {draft === null ? (
        <div className="note-text" data-testid={`note-text-${name}`}>
          {data.text || <span className="note-placeholder">Double-click to write a note</span>}
        </div>
      ) : (
        <textarea
          className="note-editor nodrag nowheel"
          aria-label="Note text"
          data-testid={`note-editor-${name}`}
          autoFocus
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          onBlur={finish}
          onKeyDown={onKeyDown}
        />
      )}
    </div>
  );
}

/** A group: a labelled frame behind its nodes; drag it to move them all; its label renamed in place; Ungroup. */
function GroupView({ id, data, selected }: NodeProps<GroupNode>) {
  const [draft, setDraft] = useState<string | null>(null);
  const name = fileId(id);
  const finish = () => {
    if (draft !== null) useDocument.getState().renameGroup(id, draft.trim());
    setDraft(null);
  };
  return (
    <div className={selected ? "group-frame selected" : "group-frame"} data-testid={`group-${name}`}>
      <NodeResizer isVisible={selected} minWidth={GROUP_MIN.width} minHeight={GROUP_MIN.height} />
      <div className="group-header">
        {draft === null ? (
          <span
            className="group-label"
            data-testid={`group-label-${name}`}
            title="Double-click to rename"
            onDoubleClick={() => setDraft(data.label)}
          >
            {data.label || "Group"}
          </span>
        ) : (
          <input
            className="group-label-input nodrag"
            aria-label="Group label"
            data-testid={`group-label-input-${name}`}
            autoFocus
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            onBlur={finish}
            onKeyDown={(event) => {
              if (event.key === "Enter" || event.key === "Escape") {
                event.stopPropagation();
                if (event.key === "Escape") setDraft(null);
                else finish();
              }
            }}
          />
        )}
        <span className="group-count">
          {data.nodeIds.length} node{data.nodeIds.length === 1 ? "" : "s"}
        </span>
        <button
          type="button"
          className="link nodrag"
          data-testid={`ungroup-${name}`}
          title="Remove the frame; its nodes stay (Ctrl/Cmd-Shift-G)"
          onClick={() => useDocument.getState().ungroup(id)}
        >
          Ungroup
        </button>
      </div>
    </div>
  );
}

export const annotationNodeTypes = { note: memo(NoteView), group: memo(GroupView) };
