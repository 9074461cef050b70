import type { Node, XYPosition } from "@xyflow/react";
import type { CanvasGroup, CanvasNote } from "../api/types.js";
import type { ClipboardNote } from "./clipboard.js";

/**
 * Notes and groups on the canvas, as plain functions over plain data. React Flow draws them as
 * nodes of their own types, kept apart from the pipeline's nodes (they never run). A group is a
 * frame that lists its nodes: no React Flow parent links, so every position stays absolute, as
 * in the file, and moving a group moves its nodes by the same amount (moveWithGroups).
 */

export type NoteNode = Node<{ text: string }, "note">;
export type GroupNode = Node<{ label: string; nodeIds: string[] }, "group">;

export interface Annotations {
  notes: NoteNode[];
  groups: GroupNode[];
}

/** The least a note or a group may shrink to (NodeResizer's bounds). */
export const NOTE_MIN = { width: 120, height: 60 };
export const GROUP_MIN = { width: 160, height: 80 };
const NOTE_SIZE = { width: 220, height: 120 };
/** Room around a group's nodes: a margin, and the label's bar above them. */
const GROUP_PAD = 24;
const GROUP_HEADER = 32;
/** A node's size before React Flow has measured it (about the size a stage draws at). */
const UNMEASURED = { width: 200, height: 90 };

// Canvas ids, apart from the pipeline's node ids: those never start with a space (the file
// format refuses it), so no pipeline node can be taken for a note or a group.
const NOTE_PREFIX = " note:";
const GROUP_PREFIX = " group:";
export const noteCanvasId = (id: string): string => `${NOTE_PREFIX}${id}`;
export const groupCanvasId = (id: string): string => `${GROUP_PREFIX}${id}`;
/** A note's or group's id as the file has it. */
export const fileId = (canvasId: string): string => canvasId.slice(canvasId.indexOf(":") + 1);
export const isNoteId = (canvasId: string): boolean => canvasId.startsWith(NOTE_PREFIX);
export const isGroupId = (canvasId: string): boolean => canvasId.startsWith(GROUP_PREFIX);

const round = (value: number): number => Math.round(value);
/** A node's size as drawn full size: set, measured, or before measuring about a stage's. */
export const sizeOf = (node: Node): { width: number; height: number } => ({
  width: node.width ?? node.measured?.width ?? UNMEASURED.width,
  height: node.height ?? node.measured?.height ?? UNMEASURED.height,
});

export function annotationsFromSpec(notes: readonly CanvasNote[], groups: readonly CanvasGroup[]): Annotations {
  return {
    notes: notes.map((note) => ({
      id: noteCanvasId(note.id),
      type: "note",
      position: { ...note.position },
      width: note.size.width,
      height: note.size.height,
      data: { text: note.text },
    })),
    groups: groups.map(groupNode),
  };
}

function groupNode(group: CanvasGroup): GroupNode {
  return {
    id: groupCanvasId(group.id),
    type: "group",
    position: { ...group.position },
    width: group.size.width,
    height: group.size.height,
    // Behind the nodes it frames: they stay clickable inside it.
    zIndex: -1,
    data: { label: group.label, nodeIds: [...group.nodeIds] },
  };
}

/** The file's notes and groups (positions and sizes rounded, as the nodes' positions are). */
export function annotationsToSpec(annotations: Annotations): { notes: CanvasNote[]; groups: CanvasGroup[] } {
  const frame = (node: Node) => {
    const size = sizeOf(node);
    return {
      position: { x: round(node.position.x), y: round(node.position.y) },
      size: { width: Math.max(1, round(size.width)), height: Math.max(1, round(size.height)) },
    };
  };
  return {
    notes: annotations.notes.map((note) => ({ id: fileId(note.id), text: note.data.text, ...frame(note) })),
    groups: annotations.groups.map((group) => ({
      id: fileId(group.id),
      label: group.data.label,
      nodeIds: [...group.data.nodeIds],
      ...frame(group),
    })),
  };
}

/** "note-1", "note-2", …: the first free one among those ids. */
function freeId(base: string, taken: readonly (NoteNode | GroupNode)[]): string {
  const used = new Set(taken.map((node) => fileId(node.id)));
  for (let n = 1; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * A new, empty note, the only note selected: its top-left at `position`, or, if a node or note
 * is there, further down in the first free place, so it never hides the graph it comments on.
 */
export function addNote(
  annotations: Annotations,
  position: XYPosition,
  nodes: readonly Node[] = [],
): { id: string; change: Pick<Annotations, "notes"> } {
  const id = freeId("note", annotations.notes);
  const note: NoteNode = {
    id: noteCanvasId(id),
    type: "note",
    position: freeSpot({ x: round(position.x), y: round(position.y) }, NOTE_SIZE, [...nodes, ...annotations.notes]),
    ...NOTE_SIZE,
    selected: true,
    data: { text: "" },
  };
  return { id: note.id, change: { notes: [...annotations.notes.map(unselect), note] } };
}

/** The selected notes, as the clipboard keeps them. */
export function copyNotes(notes: readonly NoteNode[]): ClipboardNote[] {
  return notes
    .filter((note) => note.selected)
    .map((note) => ({ text: note.data.text, position: { ...note.position }, size: sizeOf(note) }));
}

/** Pasted notes (already placed) added with ids of their own, the only notes selected. */
export function pasteNotes(annotations: Annotations, pasted: readonly ClipboardNote[]): Pick<Annotations, "notes"> {
  const notes = annotations.notes.map(unselect);
  for (const note of pasted) {
    notes.push({
      id: noteCanvasId(freeId("note", notes)),
      type: "note",
      position: { ...note.position },
      ...note.size,
      selected: true,
      data: { text: note.text },
    });
  }
  return { notes };
}

const NOTE_GAP = 20;

/** The first place from `at` downwards where a box of `size` overlaps none of `others`. */
function freeSpot(at: XYPosition, size: { width: number; height: number }, others: readonly Node[]): XYPosition {
  const overlaps = (y: number) =>
    others.some((other) => {
      const box = sizeOf(other);
      return (
        at.x < other.position.x + box.width + NOTE_GAP &&
        other.position.x < at.x + size.width + NOTE_GAP &&
        y < other.position.y + box.height + NOTE_GAP &&
        other.position.y < y + size.height + NOTE_GAP
      );
    });
  let y = at.y;
  // Past every box below it there is room: the loop ends.
  for (let tries = 0; tries <= others.length && overlaps(y); tries++) {
    const below = others
      .filter((o) => o.position.y + sizeOf(o).height + NOTE_GAP > y)
      .map((o) => o.position.y + sizeOf(o).height + NOTE_GAP);
    y = Math.min(...below.filter((b) => b > y));
  }
  return { x: at.x, y };
}

const unselect = <T extends Node>(node: T): T => (node.selected ? { ...node, selected: false } : node);

export function setNoteText(annotations: Annotations, canvasId: string, text: string): Pick<Annotations, "notes"> | null {
  const note = annotations.notes.find((n) => n.id === canvasId);
  if (!note || note.data.text === text) return null;
  return { notes: annotations.notes.map((n) => (n === note ? { ...n, data: { text } } : n)) };
}

export function renameGroup(annotations: Annotations, canvasId: string, label: string): Pick<Annotations, "groups"> | null {
  const group = annotations.groups.find((g) => g.id === canvasId);
  if (!group || group.data.label === label) return null;
  return { groups: annotations.groups.map((g) => (g === group ? { ...g, data: { ...g.data, label } } : g)) };
}

/** The box around nodes, with room for a group's margin and label bar. */
function frameAround(nodes: readonly Node[]): { position: XYPosition; width: number; height: number } {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const node of nodes) {
    const size = sizeOf(node);
    left = Math.min(left, node.position.x);
    top = Math.min(top, node.position.y);
    right = Math.max(right, node.position.x + size.width);
    bottom = Math.max(bottom, node.position.y + size.height);
  }
  return {
    position: { x: round(left - GROUP_PAD), y: round(top - GROUP_PAD - GROUP_HEADER) },
    width: round(right - left + 2 * GROUP_PAD),
    height: round(bottom - top + 2 * GROUP_PAD + GROUP_HEADER),
  };
}

/**
 * A frame around these nodes, the only group selected. When some of them are already in one
 * group, that group takes in the others (its id and label kept: adding nodes to a group, as in
 * Node-RED); otherwise a new group, labelled "Group N". A node is in one group at most: one in
 * another group leaves it (a group left empty goes). Null without nodes.
 */
export function groupNodes(
  annotations: Annotations,
  nodes: readonly Node[],
  nodeIds: readonly string[],
): { id: string; change: Pick<Annotations, "groups"> } | null {
  const chosen = nodes.filter((n) => nodeIds.includes(n.id));
  if (chosen.length === 0) return null;
  const ids = chosen.map((n) => n.id);
  const touched = annotations.groups.filter((g) => g.data.nodeIds.some((id) => ids.includes(id)));
  const extended = touched.length === 1 ? touched[0]! : undefined;
  const memberIds = extended ? [...extended.data.nodeIds, ...ids.filter((id) => !extended.data.nodeIds.includes(id))] : ids;
  const members = nodes.filter((n) => memberIds.includes(n.id));
  const id = extended ? fileId(extended.id) : freeId("group", annotations.groups);
  const label = extended ? extended.data.label : `Group ${id.slice("group-".length)}`;
  const group: GroupNode = {
    ...groupNode({ id, label, nodeIds: memberIds, position: { x: 0, y: 0 }, size: { width: 1, height: 1 } }),
    ...frameAround(members),
    selected: true,
  };
  const others = withoutMembers(
    annotations.groups.filter((g) => g !== extended),
    new Set(ids),
  ).map(unselect);
  const at = extended ? annotations.groups.indexOf(extended) : others.length;
  return { id: group.id, change: { groups: [...others.slice(0, at), group, ...others.slice(at)] } };
}

/** Groups without these nodes; a group left with none goes. */
export function withoutMembers(groups: GroupNode[], removed: ReadonlySet<string>): GroupNode[] {
  if (!groups.some((g) => g.data.nodeIds.some((id) => removed.has(id)))) return groups;
  return groups
    .map((g) =>
      g.data.nodeIds.some((id) => removed.has(id))
        ? { ...g, data: { ...g.data, nodeIds: g.data.nodeIds.filter((id) => !removed.has(id)) } }
        : g,
    )
    .filter((g) => g.data.nodeIds.length > 0);
}

/** A node's new id in the group that lists it. */
export function renameMember(groups: GroupNode[], from: string, to: string): GroupNode[] {
  if (!groups.some((g) => g.data.nodeIds.includes(from))) return groups;
  return groups.map((g) =>
    g.data.nodeIds.includes(from) ? { ...g, data: { ...g.data, nodeIds: g.data.nodeIds.map((id) => (id === from ? to : id)) } } : g,
  );
}

/** The notes and groups with these canvas ids gone (a group's nodes stay: ungrouping). Null when none is there. */
export function removeAnnotations(annotations: Annotations, canvasIds: ReadonlySet<string>): Annotations | null {
  const notes = annotations.notes.filter((n) => !canvasIds.has(n.id));
  const groups = annotations.groups.filter((g) => !canvasIds.has(g.id));
  if (notes.length === annotations.notes.length && groups.length === annotations.groups.length) return null;
  return { notes, groups };
}

/** No note or group selected (unchanged ones keep their object). */
export function unselectAnnotations(annotations: Annotations): Annotations {
  const none = <T extends Node>(list: T[]): T[] => (list.some((n) => n.selected) ? list.map(unselect) : list);
  return { notes: none(annotations.notes), groups: none(annotations.groups) };
}

/** The selected notes and groups. */
export function selectedAnnotations(annotations: Annotations): Set<string> {
  return new Set([...annotations.notes, ...annotations.groups].filter((n) => n.selected).map((n) => n.id));
}

/**
 * Nodes moved along with the groups that moved (before → after): each member shifts as its
 * group did, except those that moved themselves (selected with the group, React Flow moved them).
 */
export function moveWithGroups<N extends Node>(
  before: readonly GroupNode[],
  after: readonly GroupNode[],
  nodes: N[],
  movedThemselves: ReadonlySet<string>,
): N[] {
  const shift = new Map<string, XYPosition>();
  for (const group of after) {
    const old = before.find((g) => g.id === group.id);
    if (!old) continue;
    const dx = group.position.x - old.position.x;
    const dy = group.position.y - old.position.y;
    if (dx === 0 && dy === 0) continue;
    for (const id of group.data.nodeIds) if (!movedThemselves.has(id)) shift.set(id, { x: dx, y: dy });
  }
  if (shift.size === 0) return nodes;
  return nodes.map((node) => {
    const by = shift.get(node.id);
    return by ? { ...node, position: { x: node.position.x + by.x, y: node.position.y + by.y } } : node;
  });
}

/**
 * Nodes of no group dropped with their middle inside a group's frame join that group (the
 * innermost, smallest, frame when frames overlap), as in Node-RED. A node already in a group
 * keeps it wherever it is dropped (its frame grows to keep it: growGroupsToMembers); Ungroup
 * lets it go.
 */
export function joinGroupsOnDrop(groups: GroupNode[], nodes: readonly Node[], dropped: ReadonlySet<string>): GroupNode[] {
  const grouped = new Set(groups.flatMap((group) => group.data.nodeIds));
  const joining = new Map<string, string[]>();
  for (const node of nodes) {
    if (!dropped.has(node.id) || grouped.has(node.id)) continue;
    const size = sizeOf(node);
    const middle = { x: node.position.x + size.width / 2, y: node.position.y + size.height / 2 };
    const frames = groups.filter((group) => {
      const frame = sizeOf(group);
      return (
        middle.x >= group.position.x &&
        middle.x <= group.position.x + frame.width &&
        middle.y >= group.position.y &&
        middle.y <= group.position.y + frame.height
      );
    });
    const area = (group: GroupNode) => sizeOf(group).width * sizeOf(group).height;
    const into = frames.sort((a, b) => area(a) - area(b))[0];
    if (into) joining.set(into.id, [...(joining.get(into.id) ?? []), node.id]);
  }
  if (joining.size === 0) return groups;
  return groups.map((group) => {
    const joined = joining.get(group.id);
    return joined ? { ...group, data: { ...group.data, nodeIds: [...group.data.nodeIds, ...joined] } } : group;
  });
}

/** Each group grown to take in its nodes again (after they moved on their own); a group never shrinks here. */
export function growGroupsToMembers(groups: GroupNode[], nodes: readonly Node[]): GroupNode[] {
  return groups.map((group) => {
    const members = nodes.filter((n) => group.data.nodeIds.includes(n.id));
    if (members.length === 0) return group;
    const need = frameAround(members);
    const size = sizeOf(group);
    const left = Math.min(group.position.x, need.position.x);
    const top = Math.min(group.position.y, need.position.y);
    const right = Math.max(group.position.x + size.width, need.position.x + need.width);
    const bottom = Math.max(group.position.y + size.height, need.position.y + need.height);
    if (
      left === group.position.x &&
      top === group.position.y &&
      right === group.position.x + size.width &&
      bottom === group.position.y + size.height
    )
      return group;
    return { ...group, position: { x: left, y: top }, width: right - left, height: bottom - top };
  });
}

/** Each group fitted around its nodes (after a layout placed them afresh). */
export function fitGroupsToMembers(groups: GroupNode[], nodes: readonly Node[]): GroupNode[] {
  return groups.map((group) => {
    const members = nodes.filter((n) => group.data.nodeIds.includes(n.id));
    return members.length === 0 ? group : { ...group, ...frameAround(members) };
  });
}
