import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RecentFiles, studioHome } from "./recentFiles.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "studio-recent-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("recent files", () => {
  it("newest first; a file no longer there is dropped", async () => {
    const recent = new RecentFiles(join(dir, "home", "recent.json"));
    const [a, b] = [join(dir, "a.pipeline.json"), join(dir, "b.pipeline.json")];
    await writeFile(a, "{}");
    await writeFile(b, "{}");
    await recent.add(a);
    await recent.add(b);
    expect(await recent.list()).toEqual([b, a]);
    await rm(b);
    expect(await recent.list()).toEqual([a]);
    await recent.add(a);
    expect(JSON.parse(await readFile(join(dir, "home", "recent.json"), "utf8"))).toEqual([a]);
  });

  it("tests keep to their own home folder, never the user's", () => {
    expect(studioHome()).toBe(process.env.PIPELINE_STUDIO_HOME);
    expect(studioHome().startsWith(tmpdir())).toBe(true);
  });
});
