import { useMemo, useState, type DragEvent } from "react";
import { DRAG_MIME } from "../canvas/paletteDrag.js";
import { viewCentre } from "../canvas/viewCentre.js";
import { OP_GROUPS, opEntries, searchOps, type OpEntry } from "../ops/opEntries.js";
import { onGrid } from "../store/canvasSettings.js";
import { useDocument } from "../store/document.js";
import { useCatalog } from "../store/catalog.js";
import { LockIcon } from "./LockIcon.js";

export function Palette() {
  const catalog = useCatalog((s) => s.ops);
  const [query, setQuery] = useState("");

  // Grouped as the catalog is; a search matches names, descriptions and synonyms.
  const groups = useMemo(() => {
    const found = searchOps(opEntries(catalog), query);
    return OP_GROUPS.map((group) => ({ group, entries: found.filter((entry) => entry.group === group) })).filter(
      (g) => g.entries.length > 0,
    );
  }, [catalog, query]);

  const lock = useDocument((s) => s.editLock);

  const onDragStart = (event: DragEvent, entry: OpEntry) => {
    event.dataTransfer.setData(DRAG_MIME, JSON.stringify(entry.drag));
    event.dataTransfer.setData("text/plain", entry.label);
    event.dataTransfer.effectAllowed = "copy";
  };

  /** Double-click (or Enter) adds the op in the middle of the view. */
  const addAtCentre = (entry: OpEntry) => {
    const centre = viewCentre();
    useDocument
      .getState()
      .addNode(entry.drag.kind, entry.drag.op, onGrid({ x: centre.x - 100, y: centre.y - 30 }), structuredClone(entry.drag.params));
  };

  return (
    <aside className={`palette${lock ? " is-locked" : ""}`} aria-label="Operations" aria-disabled={lock !== null}>
      {lock && (
        <p className="edit-lock-note" data-testid="palette-lock">
          <LockIcon /> {lock}
        </p>
      )}
      <input
        className="palette-search"
        type="search"
        placeholder="Search ops…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        data-testid="palette-search"
      />
      {groups.map(({ group, entries }) => (
        <section key={group} className="palette-group">
          <h3>{group}</h3>
          {entries.map((entry) => (
            <div
              key={entry.key}
              className={`palette-item palette-item--${entry.drag.kind}`}
              draggable={!lock}
              aria-disabled={lock !== null}
              tabIndex={0}
              onDragStart={(e) => onDragStart(e, entry)}
              onDoubleClick={() => addAtCentre(entry)}
              onKeyDown={(e) => e.key === "Enter" && addAtCentre(entry)}
              title={`${entry.description}\nAlso found by: ${entry.synonyms.join(", ")}\n${lock ? `${lock}.` : "Drag onto the canvas (or double-click) to add."}`}
              data-testid={`palette-${entry.key}`}
            >
              <span className="palette-name">{entry.label}</span>
              {entry.execution && <span className={`exec exec--${entry.execution}`}>{entry.execution}</span>}
              <span className="palette-desc">{entry.description}</span>
            </div>
          ))}
        </section>
      ))}
      {groups.length === 0 && <p className="muted">No op matches “{query}”.</p>}
    </aside>
  );
}
