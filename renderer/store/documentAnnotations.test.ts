import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import type { PipelineFile } from "../api/types.js";
import { toSpec } from "../graph/model.js";
import { useDocument } from "./document.js";

/** Notes and groups in the document store: each edit one undo step; a group's drag moves its nodes. */

const seed = JSON.parse(
  readFileSync(new URL("../../examples/seed-download-preprocess.pipeline.json", import.meta.url), "utf8"),
) as PipelineFile;
const doc = () => useDocument.getState();
const at = (id: string) => doc().nodes.find((n) => n.id === id)!.position;

beforeEach(() => {
  doc().setEditLock(null);
  doc().load({ spec: seed, path: null, problems: [] });
});

function groupDownloadAndPreprocess(): string {
  doc().selectOnly(["download", "preprocess"]);
  expect(doc().groupSelection()).toBe(true);
  return doc().groups[0]!.id;
}

describe("notes and groups in the document", () => {
  it("adds, writes and deletes a note, each one undo step, and saves it in the file", () => {
    const id = doc().addNote({ x: 0, y: -400 });
    doc().setNoteText(id, "first\nsecond");
    expect(doc().past).toHaveLength(2);
    expect(toSpec(doc()).notes).toEqual([expect.objectContaining({ id: "note-1", text: "first\nsecond" })]);
    doc().deleteSelection();
    expect(doc().notes).toEqual([]);
    doc().undo();
    expect(doc().notes[0]!.data.text).toBe("first\nsecond");
    doc().undo();
    expect(doc().notes[0]!.data.text).toBe("");
    doc().redo();
    expect(doc().notes[0]!.data.text).toBe("first\nsecond");
  });

  it("groups the selection; refuses an empty selection", () => {
    doc().selectOnly([]);
    expect(doc().groupSelection()).toBe(false);
    groupDownloadAndPreprocess();
    expect(toSpec(doc()).groups).toEqual([
      expect.objectContaining({ id: "group-1", label: "Group 1", nodeIds: ["download", "preprocess"] }),
    ]);
  });

  it("a drag of the group moves its nodes by as much, as one undo step", () => {
    const group = groupDownloadAndPreprocess();
    doc().selectOnly([]);
    const from = doc().groups[0]!.position;
    const before = { download: at("download"), preprocess: at("preprocess"), urls: at("urls") };
    const steps = doc().past.length;
    for (const [dx, dragging] of [
      [10, true],
      [30, true],
      [30, false],
    ] as const) {
      doc().onNodesChange([{ type: "position", id: group, position: { x: from.x + dx, y: from.y + dx }, dragging }]);
    }
    expect(at("download")).toEqual({ x: before.download.x + 30, y: before.download.y + 30 });
    expect(at("preprocess")).toEqual({ x: before.preprocess.x + 30, y: before.preprocess.y + 30 });
    expect(at("urls")).toEqual(before.urls);
    expect(doc().past).toHaveLength(steps + 1);
    doc().undo();
    expect(at("download")).toEqual(before.download);
    expect(doc().groups[0]!.position).toEqual(from);
  });

  it("a resize of a note is one undo step", () => {
    const id = doc().addNote({ x: 0, y: -400 });
    const steps = doc().past.length;
    for (const [width, resizing] of [
      [250, true],
      [300, true],
      [300, false],
    ] as const) {
      doc().onNodesChange([{ type: "dimensions", id, dimensions: { width, height: 150 }, resizing, setAttributes: true }]);
    }
    expect(toSpec(doc()).notes?.[0]?.size).toEqual({ width: 300, height: 150 });
    expect(doc().past).toHaveLength(steps + 1);
    expect(doc().dirty).toBe(true);
  });

  it("deleting a node takes it out of its group; renaming it renames it there; the last one gone, the group goes", () => {
    groupDownloadAndPreprocess();
    doc().selectOnly(["preprocess"]);
    doc().deleteSelection();
    expect(doc().groups[0]!.data.nodeIds).toEqual(["download"]);
    doc().renameNode("download", "fetch");
    expect(doc().groups[0]!.data.nodeIds).toEqual(["fetch"]);
    doc().selectOnly(["fetch"]);
    doc().deleteSelection();
    expect(doc().groups).toEqual([]);
  });

  it("ungroup and Delete on a group remove the frame only; its nodes stay", () => {
    const group = groupDownloadAndPreprocess();
    doc().ungroup(group);
    expect(doc().groups).toEqual([]);
    expect(doc().nodes.map((n) => n.id)).toEqual(["urls", "download", "preprocess", "sink"]);
    doc().undo();
    doc().selectOnly([]);
    doc().onNodesChange([{ type: "select", id: group, selected: true }]);
    doc().deleteSelection();
    expect(doc().groups).toEqual([]);
    expect(doc().nodes).toHaveLength(4);
  });

  it("while the graph is locked by a run, notes and groups still change (they never change what runs)", () => {
    doc().setEditLock("A run is using the graph");
    const id = doc().addNote({ x: 0, y: -400 });
    doc().setNoteText(id, "during the run");
    expect(doc().notes[0]!.data.text).toBe("during the run");
    doc().selectOnly(["download"]);
    expect(doc().groupSelection()).toBe(true);
    doc().deleteSelection();
    expect(doc().nodes).toHaveLength(4);
  });

  it("a pipeline node named like a note or a group is still a node", () => {
    doc().renameNode("download", "group:x");
    doc().renameNode("preprocess", "note:y");
    doc().onNodesChange([
      { type: "position", id: "group:x", position: { x: 7, y: 7 }, dragging: false },
      { type: "position", id: "note:y", position: { x: 9, y: 9 }, dragging: false },
    ]);
    expect(at("group:x")).toEqual({ x: 7, y: 7 });
    expect(at("note:y")).toEqual({ x: 9, y: 9 });
  });

  it("auto-layout fits each group around its nodes where they now are", () => {
    groupDownloadAndPreprocess();
    doc().setPositions({ download: { x: 1000, y: 1000 }, preprocess: { x: 1300, y: 1000 } });
    const group = doc().groups[0]!;
    expect(group.position.x).toBeLessThan(1000);
    expect(group.position.x).toBeGreaterThan(900);
    expect(group.position.y).toBeLessThan(1000);
  });
});
