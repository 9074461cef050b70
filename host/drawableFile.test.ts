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
});
