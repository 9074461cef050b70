import { useMemo, useState, type KeyboardEvent } from "react";
import { findNodes } from "../graph/findNodes.js";
import { setSearchOpen, useCanvasOverlay } from "../store/canvasOverlay.js";
import { useDocument } from "../store/document.js";
import { useFitGraph } from "./fitGraph.js";

/** Listed under the box at most (the count says how many there are). */
const MAX_LISTED = 8;

/**
 * Ctrl/Cmd-F: a box over the canvas finding nodes by part of their name or op. Enter (or a click,
 * or ▼) zooms to the next match and selects it, Shift-Enter (or ▲) the previous; "n of m" says
 * where in the matches the view is. Escape closes.
 */
export function GraphSearch() {
  const open = useCanvasOverlay((s) => s.search);
  return open ? <SearchBox /> : null;
}

function SearchBox() {
  const nodes = useDocument((s) => s.nodes);
  const fitGraph = useFitGraph();
  const [query, setQuery] = useState("");
  /** The match on show (zoomed to), or null before the first Enter. */
  const [shown, setShown] = useState<number | null>(null);
  const matches = useMemo(() => findNodes(nodes, query), [nodes, query]);

  const go = (index: number) => {
    if (matches.length === 0) return;
    const wrapped = (index + matches.length) % matches.length;
    const id = matches[wrapped]!;
    useDocument.getState().selectOnly([id]);
    void fitGraph({ ids: [id], duration: 300, maxZoom: 1.2, padding: 0.4 });
    setShown(wrapped);
  };
  const step = (by: 1 | -1) => go(shown === null ? (by === 1 ? 0 : -1) : shown + by);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      event.preventDefault();
      setSearchOpen(false);
    } else if (event.key === "Enter") {
      event.preventDefault();
      step(event.shiftKey ? -1 : 1);
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      step(event.key === "ArrowDown" ? 1 : -1);
    }
  };

  const count =
    query.trim() === ""
      ? ""
      : matches.length === 0
        ? "no match"
        : shown === null
          ? `${matches.length} ${matches.length === 1 ? "match" : "matches"}`
          : `${shown + 1} of ${matches.length}`;
  return (
    <div className="graph-search" role="search" data-testid="graph-search" onKeyDown={onKeyDown}>
      <div className="graph-search-row">
        <input
          autoFocus
          type="search"
          placeholder="Find a node by name or op…"
          aria-label="Find a node"
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setShown(null);
          }}
          data-testid="graph-search-input"
        />
        <span className="graph-search-count" data-testid="graph-search-count">
          {count}
        </span>
        <button
          type="button"
          title="Previous match (Shift-Enter)"
          disabled={matches.length === 0}
          onClick={() => step(-1)}
          data-testid="graph-search-prev"
        >
          ▲
        </button>
        <button
          type="button"
          title="Next match (Enter)"
          disabled={matches.length === 0}
          onClick={() => step(1)}
          data-testid="graph-search-next"
        >
          ▼
        </button>
        <button type="button" title="Close (Escape)" onClick={() => setSearchOpen(false)} data-testid="graph-search-close">
          ×
        </button>
      </div>
      {matches.length > 0 && (
        <ul className="graph-search-list" role="listbox" aria-label="Matching nodes">
          {matches.slice(0, MAX_LISTED).map((id, index) => (
            <li
              key={id}
              role="option"
              aria-selected={index === shown}
              className={index === shown ? "is-active" : undefined}
              onClick={() => go(index)}
              data-testid={`graph-search-match-${id}`}
            >
              <span className="graph-search-name">{id}</span>
              <span className="graph-search-op">{nodes.find((n) => n.id === id)?.data.op ?? nodes.find((n) => n.id === id)?.type}</span>
            </li>
          ))}
          {matches.length > MAX_LISTED && <li className="muted">… {matches.length - MAX_LISTED} more (Enter steps through all)</li>}
        </ul>
      )}
    </div>
  );
}
