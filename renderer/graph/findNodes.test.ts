import { describe, expect, it } from "vitest";
import { findNodes } from "./findNodes.js";
import { defaultSpec, type StudioNode } from "./model.js";

/** Ctrl/Cmd-F on the canvas: a node by part of its name or its op. */

const node = (id: string, kind: StudioNode["type"], op: string | null): StudioNode => ({
  id,
  type: kind,
  position: { x: 0, y: 0 },
  data: defaultSpec(kind!, op, {}),
});
const nodes = [
  node("urls", "source", "range"),
  node("download", "stage", "sleep"),
  node("decode_images", "stage", "cpu"),
  node("load", "stage", "readFile"),
  node("out", "sink", null),
];

describe("findNodes", () => {
  it("finds names starting with the query first, then names containing it, case-insensitive", () => {
    expect(findNodes(nodes, "LOAD")).toEqual(["load", "download"]);
    expect(findNodes(nodes, "d")).toEqual(["download", "decode_images", "load"]);
  });

  it("finds a node by its op (or its kind when it has none), after name matches", () => {
    expect(findNodes(nodes, "cpu")).toEqual(["decode_images"]);
    expect(findNodes(nodes, "sink")).toEqual(["out"]);
    expect(findNodes(nodes, "file")).toEqual(["load"]);
    expect(findNodes(nodes, "s")).toEqual(["urls", "decode_images", "download", "out"]);
  });

  it("finds nothing for an empty query or one nothing matches", () => {
    expect(findNodes(nodes, "  ")).toEqual([]);
    expect(findNodes(nodes, "gzip")).toEqual([]);
  });
});
