import { useCallback, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { opEntries, searchOps, type OpEntry } from "../ops/opEntries.js";
import { closeOverlays, useCanvasOverlay } from "../store/canvasOverlay.js";
import { useCatalog } from "../store/catalog.js";
import { onGrid } from "../store/canvasSettings.js";
import { useDocument } from "../store/document.js";
import { addRefusal, type NewNode } from "../graph/quickAdd.js";
import { useFloating } from "./useFloating.js";

/** Half a node: a new node is centred on the point where the picker opened. */
const NODE_OFFSET = { x: 100, y: 30 };

/** Shown at most: the best matches of a search (the palette lists them all). */
const MAX_SHOWN = 12;

/**
 * The quick-add picker (Node-RED, n8n): opened by a double-click on the canvas, a wire dropped
 * into empty space, or a context menu; type to filter ops by name, synonym or description, then
 * arrows and Enter (or a click) add the op there, wired as the picker was asked.
 */
export function OpPicker() {
  const picker = useCanvasOverlay((s) => s.picker);
  if (!picker) return null;
  // A new picker (another point) starts afresh.
  return <PickerBox key={`${picker.screen.x},${picker.screen.y}`} />;
}

function PickerBox() {
  const picker = useCanvasOverlay((s) => s.picker)!;
  const catalog = useCatalog((s) => s.ops);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const ref = useRef<HTMLDivElement>(null);
  const style = useFloating(ref, picker.screen, closeOverlays);
  const nodes = useDocument((s) => s.nodes);
  const edges = useDocument((s) => s.edges);
  const at = picker.flow;
  const newNode = useCallback(
    (entry: OpEntry): NewNode => ({
      kind: entry.drag.kind,
      op: entry.drag.op,
      position: onGrid({ x: at.x - NODE_OFFSET.x, y: at.y - NODE_OFFSET.y }),
      params: structuredClone(entry.drag.params),
    }),
    [at],
  );
  // The matches, those the wire would refuse marked with the reason and put last: the first
  // suggestion (Enter) is one that connects.
  const { matches: found, wireRefused } = useMemo(() => {
    const matches = searchOps(opEntries(catalog), query)
      .slice(0, MAX_SHOWN)
      .map((entry) => ({ entry, refused: addRefusal({ nodes, edges }, picker.purpose, newNode(entry)) }));
    // Refused even for a plain stage (input and output both): the wire itself is refused, whatever
    // comes after it; said once, above the list, and not under every op.
    const probe: NewNode = { kind: "stage", op: "stage", position: { x: 0, y: 0 }, params: {} };
    const wireRefused = addRefusal({ nodes, edges }, picker.purpose, probe);
    const marked = matches.map((m) => (m.refused === wireRefused ? { ...m, refused: null } : m));
    return { matches: [...marked.filter((m) => m.refused === null), ...marked.filter((m) => m.refused !== null)], wireRefused };
  }, [catalog, query, nodes, edges, picker.purpose, newNode]);

  const add = (entry: OpEntry) => {
    closeOverlays();
    const doc = useDocument.getState();
    const node = newNode(entry);
    const purpose = picker.purpose;
    if (purpose.kind === "after") doc.addNodeAfter(node, purpose.from, purpose.fromHandle);
    else if (purpose.kind === "before") doc.addNodeBefore(node, purpose.to);
    else if (purpose.kind === "onEdge") doc.insertNodeOnEdge(purpose.edgeId, node);
    else doc.addNode(node.kind, node.op, node.position, node.params);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((index) => (found.length === 0 ? 0 : (index + step + found.length) % found.length));
    } else if (event.key === "Enter") {
      event.preventDefault();
      const match = found[Math.min(active, found.length - 1)];
      if (match) add(match.entry);
    } else if (event.key === "Escape") {
      event.preventDefault();
      closeOverlays();
    }
  };

  const title =
    picker.purpose.kind === "after"
      ? `Add after ${picker.purpose.from}`
      : picker.purpose.kind === "before"
        ? `Add before ${picker.purpose.to}`
        : picker.purpose.kind === "onEdge"
          ? "Insert a stage on this wire"
          : "Add a stage here";
  return (
    <div ref={ref} className="op-picker" style={style} role="dialog" aria-label={title} data-testid="op-picker" onKeyDown={onKeyDown}>
      <div className="op-picker-title">{title}</div>
      {wireRefused && (
        <div className="op-picker-refused op-picker-wire-refused" data-testid="op-picker-wire-refused">
          Won't connect: {wireRefused}. The op picked is added unconnected.
        </div>
      )}
      <input
        className="op-picker-search"
        autoFocus
        placeholder="Search ops (name, description, synonyms)…"
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
        }}
        role="combobox"
        aria-expanded
        aria-controls="op-picker-list"
        aria-activedescendant={found[active] ? `op-picker-${found[active].entry.key}` : undefined}
        data-testid="op-picker-search"
      />
      <ul className="op-picker-list" id="op-picker-list" role="listbox">
        {found.map(({ entry, refused }, index) => (
          <li
            key={entry.key}
            id={`op-picker-${entry.key}`}
            role="option"
            aria-selected={index === active}
            className={`op-picker-item${index === active ? " is-active" : ""}${refused ? " is-refused" : ""}`}
            title={refused ? `Added unconnected: ${refused}` : undefined}
            onMouseEnter={() => setActive(index)}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => add(entry)}
            data-testid={`op-picker-item-${entry.key}`}
          >
            <span className="op-picker-name">{entry.label}</span>
            <span className="op-picker-desc">{entry.description}</span>
            {refused && <span className="op-picker-refused">Won't connect: {refused}</span>}
          </li>
        ))}
        {found.length === 0 && <li className="op-picker-empty muted">No op matches “{query}”.</li>}
      </ul>
    </div>
  );
}
