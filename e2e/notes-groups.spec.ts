import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Locator, Page } from "@playwright/test";
import { expect, test, type Studio } from "./fixtures.js";

// Each test's files in a folder of its own, removed after it.
let folder = "";
test.beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "studio-e2e-annotate-"));
});
test.afterEach(() => rmSync(folder, { recursive: true, force: true }));

interface SavedFile {
  nodes: { id: string; position: { x: number; y: number } }[];
  notes: { id: string; text: string; position: { x: number; y: number }; size: { width: number; height: number } }[];
  groups: { id: string; label: string; nodeIds: string[]; position: { x: number; y: number }; size: { width: number; height: number } }[];
}

async function saveAs(page: Page, path: string): Promise<SavedFile> {
  await page.getByRole("button", { name: "Save As" }).click();
  await page.getByTestId("save-path-input").fill(path);
  await page.getByTestId("save-as-dialog").getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("dirty-dot")).toHaveCount(0);
  return JSON.parse(readFileSync(path, "utf8")) as SavedFile;
}

/** Saves with Ctrl-S (the file already has a path) and reads it back. */
async function save(page: Page, path: string): Promise<SavedFile> {
  await page.keyboard.press("Control+s");
  await expect(page.getByTestId("dirty-dot")).toHaveCount(0);
  return JSON.parse(readFileSync(path, "utf8")) as SavedFile;
}

async function drag(page: Page, handle: Locator, dx: number, dy: number): Promise<void> {
  const box = (await handle.boundingBox())!;
  const x = box.x + Math.min(20, box.width / 2);
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx / 2, y + dy / 2, { steps: 5 });
  await page.mouse.move(x + dx, y + dy, { steps: 5 });
  await page.mouse.up();
}

/** Selects two nodes (the second Ctrl-clicked) and groups them (Ctrl-G): the first group's frame. */
async function groupTwo(studio: Studio, first: string, second: string): Promise<Locator> {
  await studio.selectNode(first);
  await studio
    .node(second)
    .locator(".node-title")
    .click({ modifiers: ["Control"] });
  await studio.page.keyboard.press("Control+g");
  const group = studio.page.getByTestId("group-group-1");
  await expect(group).toBeVisible();
  return group;
}

const position = (file: SavedFile, id: string) => file.nodes.find((n) => n.id === id)!.position;

test("notes and groups: write a note, group two nodes, drag the group, undo, save and reopen", async ({ studio, page }) => {
  await studio.open();
  const path = join(folder, "notes.pipeline.json");

  // A note from the canvas's own control, written in place over two lines.
  await page.getByTestId("add-note").click();
  const note = page.getByTestId("note-note-1");
  await expect(note).toBeVisible();
  // A new note opens ready to write in.
  await expect(page.getByTestId("note-editor-note-1")).toBeFocused();
  await page.getByTestId("note-editor-note-1").fill("Download is the bottleneck:\nraise its concurrency");
  await studio.clearSelection();
  await expect(page.getByTestId("note-text-note-1")).toHaveText("Download is the bottleneck:\nraise its concurrency");
  // It lands near the middle of the canvas but over no node; it moves like a node.
  const noteBox = (await note.boundingBox())!;
  for (const box of await page
    .locator(".react-flow__node:not(.react-flow__node-note)")
    .evaluateAll((els) =>
      els.map((el) => el.getBoundingClientRect().toJSON() as { x: number; y: number; width: number; height: number }),
    )) {
    const apart =
      noteBox.x >= box.x + box.width ||
      box.x >= noteBox.x + noteBox.width ||
      noteBox.y >= box.y + box.height ||
      box.y >= noteBox.y + noteBox.height;
    expect(apart, `the note ${JSON.stringify(noteBox)} covers a node at ${JSON.stringify(box)}`).toBe(true);
  }
  await drag(page, page.getByTestId("note-text-note-1"), 80, 40);
  const dragged = (await note.boundingBox())!;
  // Roughly as far as the pointer went (React Flow starts a drag after a few pixels).
  expect(dragged.x - noteBox.x).toBeGreaterThan(40);
  expect(dragged.y - noteBox.y).toBeGreaterThan(20);
  await studio.clearSelection();

  // Group download and preprocess (Ctrl-G), then rename the frame.
  const group = await groupTwo(studio, "download", "preprocess");
  await expect(page.getByTestId("group-label-group-1")).toHaveText("Group 1");
  await expect(group).toContainText("2 nodes");
  await page.getByTestId("group-label-group-1").dblclick();
  await page.getByTestId("group-label-input-group-1").fill("Fetch and decode");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("group-label-group-1")).toHaveText("Fetch and decode");

  // The frame surrounds both nodes on screen.
  const frame = (await group.boundingBox())!;
  for (const id of ["download", "preprocess"]) {
    const box = (await studio.node(id).boundingBox())!;
    expect(box.x >= frame.x && box.y >= frame.y && box.x + box.width <= frame.x + frame.width + 1).toBe(true);
  }

  const before = await saveAs(page, path);
  expect(before.notes).toEqual([expect.objectContaining({ id: "note-1", text: "Download is the bottleneck:\nraise its concurrency" })]);
  expect(before.groups).toEqual([
    expect.objectContaining({ id: "group-1", label: "Fetch and decode", nodeIds: ["download", "preprocess"] }),
  ]);

  // Dragging the group's label bar moves its nodes with it, and nothing else.
  await studio.clearSelection();
  await drag(page, page.locator('[data-testid="group-group-1"] .group-count'), 120, 80);
  const moved = await save(page, path);
  const dx = moved.groups[0]!.position.x - before.groups[0]!.position.x;
  const dy = moved.groups[0]!.position.y - before.groups[0]!.position.y;
  expect(Math.abs(dx)).toBeGreaterThan(10);
  expect(Math.abs(dy)).toBeGreaterThan(10);
  for (const id of ["download", "preprocess"]) {
    expect(position(moved, id)).toEqual({ x: position(before, id).x + dx, y: position(before, id).y + dy });
  }
  expect(position(moved, "urls")).toEqual(position(before, "urls"));

  // One undo puts the whole drag back.
  await page.keyboard.press("Control+z");
  const undone = await save(page, path);
  expect(undone.groups[0]!.position).toEqual(before.groups[0]!.position);
  expect(position(undone, "download")).toEqual(position(before, "download"));

  // Reopened: the note and the group are there again.
  await studio.newPipeline();
  await page.getByRole("button", { name: "Open" }).click();
  await page.getByTestId("open-path-input").fill(path);
  await page.getByTestId("open-dialog").getByRole("button", { name: "Open", exact: true }).click();
  await expect(page.getByTestId("note-text-note-1")).toHaveText("Download is the bottleneck:\nraise its concurrency");
  await expect(page.getByTestId("group-label-group-1")).toHaveText("Fetch and decode");

  // Double-click writes in it again; Escape keeps what was written.
  await page.getByTestId("note-text-note-1").dblclick();
  await page.getByTestId("note-editor-note-1").press("End");
  await page.keyboard.press("Control+End");
  await page.keyboard.type(" now");
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("note-text-note-1")).toHaveText("Download is the bottleneck:\nraise its concurrency now");

  // Deleting a node takes it out of its group; deleting the note removes it; undo brings it back.
  await studio.selectNode("preprocess");
  await page.keyboard.press("Delete");
  await expect(studio.node("preprocess")).toHaveCount(0);
  await expect(page.getByTestId("group-group-1")).toContainText("1 node");
  await page.getByTestId("note-note-1").click();
  await page.keyboard.press("Delete");
  await expect(page.getByTestId("note-note-1")).toHaveCount(0);
  await page.keyboard.press("Control+z");
  await expect(page.getByTestId("note-note-1")).toBeVisible();
  const last = await save(page, path);
  expect(last.groups[0]!.nodeIds).toEqual(["download"]);

  // Grouping a member with another node adds that node to its group (label kept).
  await studio.selectNode("urls");
  await studio
    .node("download")
    .locator(".node-title")
    .click({ modifiers: ["Control"] });
  await page.keyboard.press("Control+g");
  await expect(page.getByTestId("group-group-1")).toContainText("2 nodes");
  await expect(page.getByTestId("group-label-group-1")).toHaveText("Fetch and decode");

  // Ungroup removes the frame; the nodes stay.
  await page.getByTestId("ungroup-group-1").click();
  await expect(page.getByTestId("group-group-1")).toHaveCount(0);
  await expect(studio.node("download")).toBeVisible();
});

test("notes copy and paste (Ctrl-C, Ctrl-V) with their text and size, offset, the copy selected; a node and a note copied together both come", async ({
  studio,
  page,
}) => {
  await studio.open();
  const path = join(folder, "paste.pipeline.json");
  await page.getByTestId("add-note").click();
  await page.getByTestId("note-editor-note-1").fill("copy me");
  await studio.clearSelection();
  await page.getByTestId("note-text-note-1").click();
  await page.keyboard.press("Control+c");
  await page.keyboard.press("Control+v");
  await expect(page.getByTestId("note-text-note-2")).toHaveText("copy me");
  // The copy is the one selected: its corners can be dragged.
  await expect(page.locator(".react-flow__node.selected").getByTestId("note-note-2")).toHaveCount(1);
  await expect(page.locator(".react-flow__node.selected")).toHaveCount(1);

  await studio.selectNode("download");
  // Its top-left corner: the copy, offset down and right, lies over the rest of it.
  await page.getByTestId("note-note-1").click({ modifiers: ["Control"], position: { x: 8, y: 8 } });
  await page.keyboard.press("Control+c");
  await page.keyboard.press("Control+v");
  await expect(studio.node("download_2")).toBeVisible();
  await expect(page.getByTestId("note-text-note-3")).toHaveText("copy me");

  const saved = await saveAs(page, path);
  expect(saved.notes.map((n) => [n.id, n.text])).toEqual([
    ["note-1", "copy me"],
    ["note-2", "copy me"],
    ["note-3", "copy me"],
  ]);
  const [first, second] = saved.notes;
  expect(second!.position).toEqual({ x: first!.position.x + 40, y: first!.position.y + 60 });
  expect(second!.size).toEqual(first!.size);
});

test("a node of no group dropped inside a group's frame joins the group; undo takes it out again", async ({ studio, page }) => {
  await studio.open();
  const path = join(folder, "join.pipeline.json");
  const group = await groupTwo(studio, "urls", "download");
  await expect(group).toContainText("2 nodes");
  await studio.clearSelection();

  // preprocess's middle dropped inside the frame, near its right edge.
  const frame = (await group.boundingBox())!;
  const node = (await studio.node("preprocess").boundingBox())!;
  const target = { x: frame.x + frame.width - 30, y: frame.y + frame.height / 2 };
  await drag(
    page,
    studio.node("preprocess").locator(".node-title"),
    target.x - (node.x + node.width / 2),
    target.y - (node.y + node.height / 2),
  );
  await expect(group).toContainText("3 nodes");
  const joined = await saveAs(page, path);
  expect(joined.groups[0]!.nodeIds).toEqual(["urls", "download", "preprocess"]);

  // Undo takes it out again (one step for the drag).
  await page.keyboard.press("Control+z");
  await expect(group).toContainText("2 nodes");
});

test("a note is resized by its corner and saved with its size", async ({ studio, page }) => {
  await studio.open();
  const path = join(folder, "resize.pipeline.json");
  await page.keyboard.press("Shift+N");
  const note = page.getByTestId("note-note-1");
  await expect(note).toBeVisible();
  const before = await saveAs(page, path);
  await note.click();
  const corner = page.locator(".react-flow__node-note .react-flow__resize-control.handle.bottom.right");
  await drag(page, corner, 90, 60);
  const after = await save(page, path);
  expect(after.notes[0]!.size.width).toBeGreaterThan(before.notes[0]!.size.width + 20);
  expect(after.notes[0]!.size.height).toBeGreaterThan(before.notes[0]!.size.height + 20);
});

test("a file whose group names a node that is not there opens to be fixed: the problem said at its JSON path, the rest drawn", async ({
  studio,
  page,
}) => {
  const seed = JSON.parse(readFileSync(new URL("../examples/seed-download-preprocess.pipeline.json", import.meta.url), "utf8")) as Record<
    string,
    unknown
  >;
  const path = join(folder, "ghost.pipeline.json");
  const frame = { position: { x: 0, y: -200 }, size: { width: 300, height: 120 } };
  writeFileSync(
    path,
    JSON.stringify({
      ...seed,
      notes: [{ id: "n", text: "still here", ...frame }],
      groups: [{ id: "g", label: "Work", nodeIds: ["download", "ghost"], ...frame }],
    }),
  );
  await studio.open();
  await page.getByRole("button", { name: "Open" }).click();
  await page.getByTestId("open-path-input").fill(path);
  await page.getByTestId("open-dialog").getByRole("button", { name: "Open", exact: true }).click();
  await expect(page.getByTestId("notice")).toContainText("1 problem");
  await expect(page.getByTestId("notice")).toContainText('groups[0].nodeIds[1]: no node has this id, got "ghost"');
  await expect(page.getByTestId("note-text-n")).toHaveText("still here");
  await expect(page.getByTestId("group-g")).toContainText("1 node");
});
