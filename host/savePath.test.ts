import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resolveSavePath } from "./savePath.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "studio-save-path-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("where Save As writes", () => {
  const home = "/home/someone";
  const examplesDir = "/app/examples";

  it("a relative name: beside the current file, with .pipeline.json added; says so; sees what is there", async () => {
    await writeFile(join(dir, "copy.pipeline.json"), "{}");
    const target = await resolveSavePath("copy", { currentPath: join(dir, "seed.pipeline.json"), examplesDir, home });
    expect(target).toEqual({ path: join(dir, "copy.pipeline.json"), exists: true, base: `the current file's folder (${dir})` });
  });

  it("never saved, or a bundled example: in the home folder, never the server's working folder", async () => {
    for (const currentPath of [null, "/app/examples/seed.pipeline.json"]) {
      const target = await resolveSavePath("sub/mine", { currentPath, examplesDir, home });
      expect(target).toEqual({ path: "/home/someone/sub/mine.pipeline.json", exists: false, base: "your home folder (/home/someone)" });
    }
  });

  it("absolute and ~ paths as typed; a name with an extension keeps it", async () => {
    expect(await resolveSavePath("/tmp/x/a.json", { currentPath: null, examplesDir, home })).toMatchObject({
      path: "/tmp/x/a.json",
      base: null,
    });
    expect(await resolveSavePath("~/p/b", { currentPath: null, examplesDir, home })).toMatchObject({
      path: "/home/someone/p/b.pipeline.json",
      base: null,
    });
  });

  it("an empty name is refused", async () => {
    await expect(resolveSavePath("  ", { currentPath: null, examplesDir, home })).rejects.toThrow("a file name is needed");
  });
});
