import { describe, expect, it } from "vitest";
import type { Node } from "@xyflow/react";
import {
  addNote,
  annotationsFromSpec,
  copyNotes,
  annotationsToSpec,
  fitGroupsToMembers,
  groupNodes,
  growGroupsToMembers,
  joinGroupsOnDrop,
  moveWithGroups,
  pasteNotes,
  removeAnnotations,
  renameGroup,
  renameMember,
  setNoteText,
  withoutMembers,
  type Annotations,
} from "./annotations.js";

const node = (id: string, x: number, y: number): Node => ({ id, position: { x, y }, data: {}, measured: { width: 100, height: 50 } });

const file = {
  notes: [{ id: "n1", text: "two\nlines", position: { x: 10, y: 20 }, size: { width: 200, height: 90 } }],
  groups: [{ id: "g1", label: "Fetch", nodeIds: ["a", "b"], position: { x: -24, y: -56 }, size: { width: 348, height: 154 } }],
};

describe("notes and groups", () => {
  it("come back from the canvas as the file had them", () => {
    const annotations = annotationsFromSpec(file.notes, file.groups);
    expect(annotations.notes[0]).toMatchObject({ id: " note:n1", type: "note", width: 200, height: 90, data: { text: "two\nlines" } });
    expect(annotations.groups[0]).toMatchObject({ id: " group:g1", type: "group", zIndex: -1 });
    expect(annotationsToSpec(annotations)).toEqual(file);
  });

  it("writes a resized note's size, rounded", () => {
    const annotations = annotationsFromSpec(file.notes, []);
    const resized = { ...annotations, notes: [{ ...annotations.notes[0]!, width: 250.6, height: 100.2, position: { x: 1.4, y: 2.6 } }] };
    expect(annotationsToSpec(resized).notes[0]).toMatchObject({ position: { x: 1, y: 3 }, size: { width: 251, height: 100 } });
  });

  it("adds notes with the next free id, each the only one selected", () => {
    const empty: Annotations = { notes: [], groups: [] };
    const first = addNote(empty, { x: 10.4, y: 20 });
    expect(first.id).toBe(" note:note-1");
    const second = addNote({ ...empty, ...first.change }, { x: 0, y: 0 });
    expect(second.id).toBe(" note:note-2");
    expect(second.change.notes.map((n) => Boolean(n.selected))).toEqual([false, true]);
    expect(second.change.notes[0]!.position).toEqual({ x: 10, y: 20 });
  });

  it("copies the selected notes (text, place, size) and pastes them with ids of their own, the only notes selected", () => {
    const annotations = annotationsFromSpec(file.notes, []);
    const selected = { ...annotations, notes: annotations.notes.map((n) => ({ ...n, selected: true })) };
    const copied = copyNotes(selected.notes);
    expect(copied).toEqual([{ text: "two\nlines", position: { x: 10, y: 20 }, size: { width: 200, height: 90 } }]);
    expect(copyNotes(annotations.notes)).toEqual([]);
    const pasted = pasteNotes(selected, [{ ...copied[0]!, position: { x: 50, y: 80 } }, copied[0]!]);
    expect(pasted.notes.map((n) => [n.id, Boolean(n.selected), n.data.text])).toEqual([
      [" note:n1", false, "two\nlines"],
      [" note:note-1", true, "two\nlines"],
      [" note:note-2", true, "two\nlines"],
    ]);
    expect(annotationsToSpec({ notes: pasted.notes, groups: [] }).notes[1]).toMatchObject({
      position: { x: 50, y: 80 },
      size: { width: 200, height: 90 },
    });
  });

  it("puts a new note in the first free place below where it was asked for, never over a node", () => {
    const empty: Annotations = { notes: [], groups: [] };
    const nodes = [node("a", 0, 0), node("b", 0, 100)];
    const { change } = addNote(empty, { x: 10, y: 10 }, nodes);
    // Below b (100 + 50 high) and the 20 px gap.
    expect(change.notes[0]!.position).toEqual({ x: 10, y: 170 });
    expect(addNote(empty, { x: 500, y: 10 }, nodes).change.notes[0]!.position).toEqual({ x: 500, y: 10 });
    const second = addNote({ ...empty, ...change }, { x: 10, y: 10 }, nodes);
    expect(second.change.notes[1]!.position.y).toBeGreaterThanOrEqual(170 + 120 + 20);
  });

  it("changes a note's text and a group's label, or nothing when unchanged", () => {
    const annotations = annotationsFromSpec(file.notes, file.groups);
    expect(setNoteText(annotations, " note:n1", "new")!.notes[0]!.data.text).toBe("new");
    expect(setNoteText(annotations, " note:n1", "two\nlines")).toBeNull();
    expect(renameGroup(annotations, " group:g1", "Decode")!.groups[0]!.data.label).toBe("Decode");
    expect(renameGroup(annotations, " group:g1", "Fetch")).toBeNull();
  });

  it("frames the chosen nodes with room for the label; a node leaves its old group for a new one", () => {
    const nodes = [node("a", 0, 0), node("b", 200, 100), node("c", 500, 0)];
    const annotations = annotationsFromSpec([], [{ ...file.groups[0]!, nodeIds: ["a"] }]);
    const grouped = groupNodes({ notes: [], groups: [] }, nodes, ["a", "b"])!;
    expect(grouped.id).toBe(" group:group-1");
    expect(grouped.change.groups).toHaveLength(1);
    expect(grouped.change.groups[0]).toMatchObject({
      position: { x: -24, y: -56 },
      width: 348,
      height: 230,
      selected: true,
      data: { label: "Group 1", nodeIds: ["a", "b"] },
    });
    // b leaves g1 for the new group of b and c; g1 keeps a.
    const moved = groupNodes(annotationsFromSpec([], [file.groups[0]!, { ...file.groups[0]!, id: "g2", nodeIds: ["c"] }]), nodes, [
      "b",
      "c",
    ])!;
    expect(moved.change.groups.map((g) => [g.id, g.data.nodeIds])).toEqual([
      [" group:g1", ["a"]],
      [" group:group-1", ["b", "c"]],
    ]);
    expect(groupNodes(annotations, nodes, [])).toBeNull();
  });

  it("adds chosen nodes to the one group some of them are in, keeping its id and label; nodes of two groups make a new one", () => {
    const nodes = [node("a", 0, 0), node("b", 200, 100), node("c", 500, 0)];
    const annotations = annotationsFromSpec([], [{ ...file.groups[0]!, nodeIds: ["a"] }]);
    const extended = groupNodes(annotations, nodes, ["a", "c"])!;
    expect(extended.id).toBe(" group:g1");
    expect(extended.change.groups).toHaveLength(1);
    expect(extended.change.groups[0]).toMatchObject({ data: { label: "Fetch", nodeIds: ["a", "c"] }, width: 648 });
    const two = {
      ...annotations,
      groups: [...annotations.groups, ...annotationsFromSpec([], [{ ...file.groups[0]!, id: "g2", nodeIds: ["b"] }]).groups],
    };
    const fresh = groupNodes(two, nodes, ["a", "b"])!;
    expect(fresh.change.groups.map((g) => g.id)).toEqual([" group:group-1"]);
  });

  it("moves a group's nodes as its frame moved, except those that moved themselves", () => {
    const before = annotationsFromSpec([], file.groups).groups;
    const after = [{ ...before[0]!, position: { x: before[0]!.position.x + 40, y: before[0]!.position.y - 20 } }];
    const nodes = [node("a", 0, 0), node("b", 100, 0), node("c", 300, 0)];
    const moved = moveWithGroups(before, after, nodes, new Set(["b"]));
    expect(moved.map((n) => n.position)).toEqual([
      { x: 40, y: -20 },
      { x: 100, y: 0 },
      { x: 300, y: 0 },
    ]);
    expect(moveWithGroups(before, before, nodes, new Set())).toBe(nodes);
  });

  it("drops deleted nodes from their group, renames them in it, and removes a group left empty", () => {
    const groups = annotationsFromSpec([], file.groups).groups;
    expect(withoutMembers(groups, new Set(["a"]))[0]!.data.nodeIds).toEqual(["b"]);
    expect(withoutMembers(groups, new Set(["a", "b"]))).toEqual([]);
    expect(withoutMembers(groups, new Set(["z"]))).toBe(groups);
    expect(renameMember(groups, "a", "fetch")[0]!.data.nodeIds).toEqual(["fetch", "b"]);
  });

  it("removes notes and groups by canvas id (a group's nodes are not its to remove)", () => {
    const annotations = annotationsFromSpec(file.notes, file.groups);
    expect(removeAnnotations(annotations, new Set([" group:g1"]))).toEqual({ notes: annotations.notes, groups: [] });
    expect(removeAnnotations(annotations, new Set(["a"]))).toBeNull();
  });

  it("lets a node of no group dropped inside a frame join it (the smallest frame of those it is in); members keep their group", () => {
    const big = {
      ...annotationsFromSpec([], file.groups).groups[0]!,
      id: " group:big",
      position: { x: 0, y: 0 },
      width: 1000,
      height: 1000,
    };
    const small = { ...big, id: " group:small", position: { x: 400, y: 400 }, width: 300, height: 300, data: { label: "S", nodeIds: [] } };
    const nodes = [node("a", 450, 450), node("c", 100, 100), node("d", 2000, 2000)];
    const joined = joinGroupsOnDrop([big, small], nodes, new Set(["a", "c", "d"]));
    // "a" is already in "big" (file.groups lists a and b): it stays there, though inside "small" too.
    expect(joined.map((g) => [g.id, g.data.nodeIds])).toEqual([
      [" group:big", ["a", "b", "c"]],
      [" group:small", []],
    ]);
    const free = [node("e", 450, 450)];
    expect(joinGroupsOnDrop([big, small], free, new Set(["e"])).map((g) => g.data.nodeIds)).toEqual([["a", "b"], ["e"]]);
    // Only nodes that were dropped: one that did not move stays out.
    expect(joinGroupsOnDrop([big, small], free, new Set())).toEqual([big, small]);
  });

  it("grows a group to take in a node dragged out of it, and fits groups to their nodes after a layout", () => {
    const groups = annotationsFromSpec([], file.groups).groups;
    const nodes = [node("a", 0, 0), node("b", 600, 0)];
    const grown = growGroupsToMembers(groups, nodes)[0]!;
    expect(grown.position).toEqual({ x: -24, y: -56 });
    expect(grown.width).toBe(600 + 100 + 24 + 24);
    const grownAgain = [grown];
    expect(growGroupsToMembers(grownAgain, nodes)[0]).toBe(grown);
    const fitted = fitGroupsToMembers(groups, [node("a", 1000, 1000), node("b", 1000, 1100)])[0]!;
    expect(fitted).toMatchObject({ position: { x: 976, y: 944 }, width: 148, height: 230 });
  });
});
