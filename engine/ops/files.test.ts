import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, PipelineBuilder } from "../index.js";
import { files } from "./files.js";
import { buildContext, paramProblems } from "./testing/harness.js";

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "ops-files-"));
  await mkdir(join(root, "data", "nested", "deeper"), { recursive: true });
  for (const [path, text] of [
    ["data/b.txt", "b"],
    ["data/a.txt", "a"],
    ["data/notes.md", "notes"],
    ["data/.hidden.txt", "hidden"],
    ["data/nested/c.txt", "c"],
    ["data/nested/deeper/d.txt", "d"],
    ["data/nested/deeper/e.json", "{}"],
  ]) {
    await writeFile(join(root, path), text);
  }
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function list(params: Record<string, unknown>, baseDir = root): Promise<string[]> {
  const paths: string[] = [];
  for await (const path of files.createSource(files.params.parse(params), buildContext(baseDir)) as AsyncIterable<string>) paths.push(path);
  return paths;
}

describe("files", () => {
  it("defaults to every file directly in the pipeline file's folder", () => {
    expect(files.params.parse({})).toEqual({ folder: ".", pattern: "*" });
    expect(paramProblems(files, { pattern: "" })).toEqual([{ path: "params.pattern", message: 'must not be empty, got ""' }]);
    expect(paramProblems(files, { folder: 3 })).toEqual([{ path: "params.folder", message: "must be a folder path, got 3" }]);
  });

  it("lists matching files directly in the folder, as sorted absolute paths, skipping folders and dotfiles", async () => {
    expect(await list({ folder: "data" })).toEqual(["a.txt", "b.txt", "notes.md"].map((name) => join(root, "data", name)));
    expect(await list({ folder: "data", pattern: "*.txt" })).toEqual(["a.txt", "b.txt"].map((name) => join(root, "data", name)));
  });

  it("descends into subfolders with **", async () => {
    expect(await list({ folder: "data", pattern: "**/*.txt" })).toEqual(
      ["a.txt", "b.txt", "nested/c.txt", "nested/deeper/d.txt"].map((name) => join(root, "data", name)),
    );
    expect(await list({ folder: join(root, "data"), pattern: "nested/**/*.{txt,json}" }, "/")).toEqual(
      ["nested/c.txt", "nested/deeper/d.txt", "nested/deeper/e.json"].map((name) => join(root, "data", name)),
    );
  });

  it("resolves a relative folder against the pipeline file's folder, not the working directory", async () => {
    expect(await list({ folder: "nested", pattern: "*" }, join(root, "data"))).toEqual([join(root, "data", "nested", "c.txt")]);
  });

  it("names a missing folder when the source is created", () => {
    const create = () => files.createSource(files.params.parse({ folder: "no-such-folder" }), buildContext(root));
    expect(create).toThrow(ConfigError);
    expect(create).toThrow(`files: the folder ${join(root, "no-such-folder")} does not exist (folder "no-such-folder")`);
    expect(() => files.createSource(files.params.parse({ folder: "data/a.txt" }), buildContext(root))).toThrow(
      `${join(root, "data", "a.txt")} is not a folder`,
    );
  });

  it("names the folder if it vanished before the pipeline ran", async () => {
    const folder = join(root, "short-lived");
    await mkdir(folder);
    const source = files.createSource(files.params.parse({ folder }), buildContext(root));
    await rm(folder, { recursive: true });
    const pipeline = new PipelineBuilder().addSource(source).addSink().build();
    await expect(pipeline.getItem()).rejects.toThrow(`the folder ${folder} does not exist`);
    await pipeline.stop();
  });

  it("feeds a pipeline", async () => {
    const source = files.createSource(files.params.parse({ folder: "data", pattern: "**/*.json" }), buildContext(root));
    const pipeline = new PipelineBuilder().addSource(source).addSink().build();
    const delivered: unknown[] = [];
    for await (const path of pipeline) delivered.push(path);
    expect(delivered).toEqual([join(root, "data", "nested", "deeper", "e.json")]);
  });
});
