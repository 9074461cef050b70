import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import type { PipelineFile } from "../api/types.js";
import { useDocument } from "./document.js";
import { useNotice } from "./notice.js";

/** The document store records each graph edit as one undo step. */

const seed = JSON.parse(
  readFileSync(new URL("../../examples/seed-download-preprocess.pipeline.json", import.meta.url), "utf8"),
) as PipelineFile;
const doc = () => useDocument.getState();
const ids = () => doc().nodes.map((n) => n.id);

beforeEach(() => {
  doc().setEditLock(null);
  doc().load({ spec: seed, path: null, problems: [] });
});

describe("the document store", () => {
  it("positions laid out as a file opens are no edit: no undo step, no unsaved change", () => {
    doc().placeNodes({ urls: { x: 0, y: 300 }, download: { x: 250, y: 300 } });
    expect(doc().nodes.find((n) => n.id === "download")!.position).toEqual({ x: 250, y: 300 });
    expect(doc().past).toHaveLength(0);
    expect(doc().dirty).toBe(false);
  });

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

  it("a refused wire (fan-out, cycle) says why and records nothing; a wire dropped into empty space adds and wires a node as one step", () => {
    useNotice.setState({ notice: null });
    expect(doc().connect({ source: "download", target: "sink", sourceHandle: null, targetHandle: null })).toMatch(
      /already feeds "preprocess"/,
    );
    expect(useNotice.getState().notice?.text).toMatch(/^Not connected: "download" already feeds "preprocess".*no fan-out/);
    expect(doc().past).toHaveLength(0);

    doc().onEdgesChange([{ type: "remove", id: "preprocess->sink" }]);
    expect(doc().connect({ source: "preprocess", target: "download", sourceHandle: null, targetHandle: null })).toMatch(/close a cycle/);
    const id = doc().addNodeAfter({ kind: "stage", op: "cpu", position: { x: 5, y: 5 }, params: {} }, "preprocess", null);
    expect(id).toBe("cpu");
    expect(doc().edges.map((e) => e.id)).toContain("preprocess->cpu");
    doc().undo();
    expect(ids()).not.toContain("cpu");
    expect(doc().edges.map((e) => e.id)).not.toContain("preprocess->sink");
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

  it("while locked (a run uses the graph), structural edits are refused with the reason; knobs and positions still change", () => {
    doc().setEditLock("Stop the run to change the graph");
    const before = { nodes: ids(), edges: doc().edges.map((e) => e.id) };
    doc().selectAll();
    doc().deleteSelection();
    expect(useNotice.getState().notice).toEqual({ kind: "info", text: "Stop the run to change the graph", until: "hostActivity" });
    doc().copySelection();
    doc().paste();
    expect(doc().addNode("stage", "sleep", { x: 0, y: 0 }, {})).toBeNull();
    doc().connect({ source: "urls", target: "preprocess", sourceHandle: null, targetHandle: null });
    doc().onEdgesChange([{ type: "remove", id: doc().edges[0]!.id }]);
    expect(doc().renameNode("download", "fetch")).toBe("Stop the run to change the graph");
    doc().updateNode("download", { params: { ms: 1 } });
    doc().updateNode("download", { outputOrder: "input" });
    doc().setBuild({ maxFailures: 3 });
    expect({ nodes: ids(), edges: doc().edges.map((e) => e.id) }).toEqual(before);
    expect(doc().nodes.find((n) => n.id === "download")!.data).toMatchObject({ outputOrder: "completion", params: seed.nodes[1]!.params });
    expect(doc().build.maxFailures).toBeNull();

    doc().updateNode("download", { concurrency: 7 });
    doc().setBuild({ numThreads: 5 });
    expect(doc().nodes.find((n) => n.id === "download")!.data.concurrency).toBe(7);
    expect(doc().build.numThreads).toBe(5);
    doc().undo();
    expect(doc().build.numThreads).toBe(5);

    doc().setEditLock(null);
    doc().undo();
    expect(doc().build.numThreads).toBe(seed.build.numThreads);
  });
});
