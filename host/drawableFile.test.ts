import { describe, expect, it } from "vitest";
import { drawableSpec } from "./drawableFile.js";

const node = (id: string, kind: string, extra: Record<string, unknown> = {}) => ({ id, kind, ...extra });

describe("a refused file made drawable", () => {
  it("bad fields take their defaults, unknown fields go, nodes without an identity and edges without ends are left out", () => {
    const spec = drawableSpec({
      format: "pipeline-studio/1",
      nodes: [
        node("urls", "source", { op: "range", params: { count: 5 } }),
        node("work", "stage", { op: "sleep", params: {}, concurrency: 0, colour: "red" }),
        node("sink", "sink", { queueSize: "lots" }),
        { kind: "stage" },
      ],
      edges: [{ from: "urls", to: "work" }, { from: "work", to: "sink" }, { from: 3 }],
      build: { numThreads: -1 },
    });
    expect(spec?.nodes.map((n) => n.id)).toEqual(["urls", "work", "sink"]);
    expect(spec?.nodes[1]).toMatchObject({ concurrency: 1 });
    expect(spec?.nodes[1]).not.toHaveProperty("colour");
    expect(spec?.edges).toEqual([
      expect.objectContaining({ from: "urls", to: "work" }),
      expect.objectContaining({ from: "work", to: "sink" }),
    ]);
    expect(spec?.build.numThreads).toBeGreaterThanOrEqual(1);
  });

  it("nodes that are not a list: an empty graph to draw", () => {
    expect(drawableSpec({ format: "pipeline-studio/1", nodes: "none", edges: [] })?.nodes).toEqual([]);
  });

  it("a bad note or group goes, a group's unknown member leaves it, the rest of the file is drawn", () => {
    const size = { width: 200, height: 100 };
    const position = { x: 0, y: 0 };
    const spec = drawableSpec({
      format: "pipeline-studio/1",
      nodes: [node("urls", "source", { op: "range", params: { count: 5 } }), node("sink", "sink")],
      edges: [{ from: "urls", to: "sink" }],
      notes: [
        { id: "kept", text: "fine", position, size },
        { id: "bad-size", text: "x", position, size: { width: -1, height: 10 } },
        { id: "bad-text", text: 7, position, size },
        { id: "kept", text: "a second note-1", position, size },
        { id: "extra", text: "", position, size, colour: "red" },
      ],
      groups: [
        { id: "g", label: "G", nodeIds: ["urls", "ghost", "sink", "urls"], position, size },
        { id: "h", label: "H", nodeIds: ["sink"], position, size },
        "not a group",
      ],
    });
    expect(spec?.nodes.map((n) => n.id)).toEqual(["urls", "sink"]);
    expect(spec?.notes.map((n) => n.id)).toEqual(["kept", "extra"]);
    expect(spec?.groups.map((g) => [g.id, g.nodeIds])).toEqual([
      ["g", ["urls", "sink"]],
      ["h", []],
    ]);
  });

  it("notes or groups that are not a list: none drawn", () => {
    const spec = drawableSpec({ format: "pipeline-studio/1", nodes: [node("sink", "sink")], notes: "x", groups: 3 });
    expect(spec?.notes).toEqual([]);
    expect(spec?.groups).toEqual([]);
  });
});
