import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import type { PipelineFile } from "../api/types.js";
import { useDocument } from "./document.js";

/** The document store records each graph edit as one undo step. */

const seed = JSON.parse(
  readFileSync(new URL("../../examples/seed-download-preprocess.pipeline.json", import.meta.url), "utf8"),
) as PipelineFile;
const doc = () => useDocument.getState();
const ids = () => doc().nodes.map((n) => n.id);

beforeEach(() => {
  doc().load({ spec: seed, path: null, problems: [] });
});

describe("the document store", () => {
  it("a rename is one step: undo puts the old id back on the node and its edges, redo the new", () => {
    const before = { nodes: ids(), edges: doc().edges.map((e) => e.id) };
    expect(doc().renameNode("download", "fetch")).toBeNull();
    expect(ids()).toContain("fetch");
    expect(doc().edges.some((e) => e.source === "fetch")).toBe(true);
    expect(doc()).toMatchObject({ dirty: true, past: [expect.anything()] });
    doc().undo();
    expect({ nodes: ids(), edges: doc().edges.map((e) => e.id) }).toEqual(before);
    doc().redo();
    expect(ids()).toContain("fetch");
  });

  it("a refused rename says why and records nothing", () => {
    expect(doc().renameNode("download", "preprocess")).toBe('"preprocess" is taken');
    expect(doc().past).toHaveLength(0);
  });

  it("copy, paste, paste: two steps, the second further along; delete and undo", () => {
    doc().selectOnly(["download"]);
    doc().copySelection();
    doc().paste();
    doc().paste();
    expect(ids()).toEqual(expect.arrayContaining(["download_2", "download_3"]));
    expect(doc().past).toHaveLength(2);
    const [second, third] = ["download_2", "download_3"].map((id) => doc().nodes.find((n) => n.id === id)!.position);
    expect(third!.x - second!.x).toBe(40);
    doc().deleteSelection();
    expect(ids()).not.toContain("download_3");
    doc().undo();
    expect(ids()).toContain("download_3");
  });

  it("edits of one field in quick succession are one step", () => {
    doc().updateNode("download", { concurrency: 5 }, "download.concurrency");
    doc().updateNode("download", { concurrency: 6 }, "download.concurrency");
    expect(doc().past).toHaveLength(1);
    doc().undo();
    expect(doc().nodes.find((n) => n.id === "download")!.data.concurrency).toBe(4);
  });
});
