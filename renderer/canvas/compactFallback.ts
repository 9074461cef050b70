import type { CompactScene, SceneNode, SceneWire } from "./compactScene.js";

/*
 * The compact layer's fallback list: inside its canvas, one entry per node and per wire it draws,
 * saying what each shows. Not drawn (a canvas's content is its fallback), it is the drawing's text
 * for screen readers, and where a test or the ui bench reads a node's bars and where it is.
 */

/** What a node's entry in the canvas's fallback list says (read by screen readers; tests read it too). */
function describe(node: SceneNode): string {
  const parts = [node.id];
  if (node.busy !== null) parts.push(`slots ${node.busy} % busy`);
  if (node.fill !== null) parts.push(`input queue ${node.fill} % full`);
  if (node.bottleneck) parts.push("bottleneck");
  if (node.problem) parts.push("has a problem");
  if (node.refusal) parts.push(`a wire may not end here: ${node.refusal}`);
  return parts.join(", ");
}

/** What a wire's entry in the fallback list says. */
const describeWire = (wire: SceneWire): string =>
  `${wire.source} → ${wire.target}${wire.colour === "idle" || wire.colour.startsWith("path-") ? "" : `, queue ${wire.colour}`}`;

/** A fallback list's entries by key (a node's or a wire's), and those not yet met in this sync. */
interface ListState {
  element: HTMLUListElement;
  entries: Map<string, HTMLLIElement>;
  unseen: Set<string>;
}
const listed = new WeakMap<HTMLUListElement, ListState>();

/** What each fallback entry was last given (text and attributes), so an unchanged one is left alone without reading the DOM. */
const written = new WeakMap<HTMLLIElement, string>();

/** One entry of the fallback list, its text and attributes set where they changed. */
function syncEntry(list: ListState, key: string, text: string, attrs: Record<string, string>): void {
  let entry = list.entries.get(key);
  if (!entry) {
    entry = document.createElement("li");
    list.element.append(entry);
    list.entries.set(key, entry);
  }
  list.unseen.delete(key);
  const content = `${text}\u0000${Object.values(attrs).join("\u0000")}`;
  if (written.get(entry) === content) return;
  written.set(entry, content);
  entry.textContent = text;
  for (const [name, value] of Object.entries(attrs)) entry.setAttribute(name, value);
}

/**
 * Keeps the canvas's fallback list (one entry per node and per wire drawn) in step with the
 * scene, touching only the entries that changed: it is the drawing's text for assistive
 * technology, and where a test reads what a node shows and where it is drawn.
 */
export function syncFallbackList(element: HTMLUListElement, scene: CompactScene): void {
  let list = listed.get(element);
  if (!list) listed.set(element, (list = { element, entries: new Map(), unseen: new Set() }));
  list.unseen = new Set(list.entries.keys());
  for (const node of scene.nodes) {
    syncEntry(list, `node ${node.id}`, describe(node), {
      "data-testid": `compact-node-${node.id}`,
      "data-id": node.id,
      "data-busy": node.busy === null ? "" : String(node.busy),
      "data-fill": node.fill === null ? "" : String(node.fill),
      "data-box": `${node.box.x} ${node.box.y} ${node.box.width} ${node.box.height}`,
    });
  }
  for (const wire of scene.wires) {
    syncEntry(list, `wire ${wire.id}`, describeWire(wire), {
      "data-testid": `compact-wire-${wire.id}`,
      "data-colour": wire.colour,
      "data-selected": String(wire.selected),
    });
  }
  for (const key of list.unseen) {
    list.entries.get(key)?.remove();
    list.entries.delete(key);
  }
}
