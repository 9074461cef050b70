import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnCli } from "./testing/spawnCli.js";

/** The built CLI on routed files: run's table under each route, validate's word on fan-out. */

const example = fileURLToPath(new URL("../../examples/route-by-kind.pipeline.json", import.meta.url));
let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "pipeline-routes-"));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe("the CLI with routes", () => {
  it("run: each path's stages under their route, then the items sent down each path", async () => {
    const { code, stdout } = await spawnCli(folder, ["run", example]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^byKind\s+loop\s+1\s+60\s+60\s+0\s/m);
    expect(stdout).toMatch(/^ {2}0: resizeThumb\s/m);
    expect(stdout).toMatch(/^ {2}1: decodePhoto\s+pool\s+2\s+20\s+20\s/m);
    expect(stdout).toMatch(/^ {2}2: transcodeVideo\s/m);
    expect(stdout).toContain("byKind routed: path 0 30 (50%) · path 1 20 (33%) · path 2 10 (17%)");
    expect(stdout).toMatch(/total: 60 items delivered/);
  }, 60_000);

  it("validate: a fan-out from a stage asks for a route node", async () => {
    const file = join(folder, "fan-out.pipeline.json");
    await writeFile(
      file,
      JSON.stringify({
        format: "pipeline-studio/1",
        nodes: [
          { id: "numbers", kind: "source", op: "range" },
          { id: "a", kind: "stage", op: "sleep" },
          { id: "out", kind: "sink" },
        ],
        edges: [
          { from: "numbers", to: "a" },
          { from: "numbers", to: "out" },
          { from: "a", to: "out" },
        ],
      }),
    );
    const { code, stderr } = await spawnCli(folder, ["validate", file]);
    expect(code).toBe(1);
    expect(stderr).toContain("a node feeds at most one other (no fan-out): to send items one way or another, use a route node");
  }, 60_000);
});
