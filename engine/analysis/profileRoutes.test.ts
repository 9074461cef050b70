import { describe, expect, it } from "vitest";
import { parsePipelineFileOrThrow } from "../spec/parse.js";
import { profilePipeline } from "./profile.js";

/** numbers (range 30) → pick (x mod 3) → a, b, and an empty path → join → sink. */
const routed = parsePipelineFileOrThrow({
  format: "pipeline-studio/1",
  nodes: [
    { id: "numbers", kind: "source", op: "range", params: { count: 30 } },
    { id: "pick", kind: "route", op: "routeBy", params: { modulo: 3 } },
    { id: "a", kind: "stage", op: "sleep", params: { ms: 0 } },
    { id: "b", kind: "stage", op: "sleep", params: { ms: 0 } },
    { id: "join", kind: "stage", op: "sleep", params: { ms: 0 } },
    { id: "sink", kind: "sink" },
  ],
  edges: [
    { from: "numbers", to: "pick" },
    { from: "pick", to: "a", path: 0 },
    { from: "pick", to: "b", path: 1 },
    { from: "pick", to: "join", path: 2 },
    { from: "a", to: "join" },
    { from: "b", to: "join" },
    { from: "join", to: "sink" },
  ],
});

describe("profile with a route", () => {
  it("feeds each path's first stage the share of the sample its router sends down it, and profiles path stages like any other", async () => {
    const result = await profilePipeline(routed, {
      baseDir: process.cwd(),
      maxConcurrency: 2,
      stepMs: 100,
      sampleSize: 30,
      stages: ["a", "b"],
    });
    expect(result.stages.map((stage) => [stage.stage, stage.sampleSize, stage.levels.map((level) => level.concurrency)])).toEqual([
      ["a", 10, [1, 2]],
      ["b", 10, [1, 2]],
    ]);
  });

  it("says a route has no concurrency to sweep", async () => {
    await expect(profilePipeline(routed, { baseDir: process.cwd(), stages: ["pick"] })).rejects.toThrow(
      "profile: 'pick' is a route node; only stages have a concurrency to sweep",
    );
  });
});
