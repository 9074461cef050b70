import { mkdtemp, readFile, readdir, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeNamedPipe, releaseNamedPipe } from "../testing/namedPipes.js";
import { compilePipeline } from "./compile.js";
import { loadPipelineFile, savePipelineFile, serializePipelineFile } from "./file.js";
import { SpecError } from "./problems.js";

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "pipeline-file-"));
});
afterEach(async () => {
  releaseNamedPipe(join(folder, "pipe.pipeline.json"));
  await rm(folder, { recursive: true, force: true });
});

const minimal = {
  format: "pipeline-studio/1",
  nodes: [
    { id: "a", kind: "source", op: "list", params: { items: [1, 2, 3] } },
    { id: "b", kind: "source", op: "range", params: { count: 2, start: 10 } },
    { id: "pause", kind: "stage", op: "sleep", params: { ms: 1 }, concurrency: 3, outputOrder: "input" },
    { id: "batch", kind: "aggregate", params: { size: 2 } },
    { id: "unbatch", kind: "disaggregate" },
    { id: "sink", kind: "sink", queueSize: 4 },
  ],
  edges: [
    { from: "a", to: "pause" },
    { from: "b", to: "pause" },
    { from: "pause", to: "batch" },
    { from: "batch", to: "unbatch" },
    { from: "unbatch", to: "sink" },
  ],
};

describe("pipeline files", () => {
  it("load → save → load is identical, and saving writes every field", async () => {
    const path = join(folder, "p.pipeline.json");
    await writeFile(path, JSON.stringify(minimal));
    const first = await loadPipelineFile(path);
    await savePipelineFile(path, first.spec);
    const savedText = await readFile(path, "utf8");
    const second = await loadPipelineFile(path);
    expect(second.spec).toEqual(first.spec);
    expect(serializePipelineFile(second.spec)).toBe(savedText);
    const saved = JSON.parse(savedText);
    expect(Object.keys(saved.nodes[5])).toEqual([
      "id",
      "kind",
      "op",
      "params",
      "concurrency",
      "outputOrder",
      "queueSize",
      "timeoutMs",
      "retries",
      "maxFailures",
      "repeat",
      "consumer",
      "runOn",
      "position",
    ]);
    expect(saved.build).toEqual({ numThreads: 4, maxFailures: null, remote: null });
    expect(await readdir(folder)).toEqual(["p.pipeline.json"]); // no temp file left behind
  });

  it("loading never changes the file", async () => {
    const path = join(folder, "p.pipeline.json");
    const text = JSON.stringify(minimal);
    await writeFile(path, text);
    await loadPipelineFile(path);
    expect(await readFile(path, "utf8")).toBe(text);
  });

  it("reports bad JSON with its line and column at $", async () => {
    const path = join(folder, "bad.pipeline.json");
    await writeFile(path, '{\n  "format": "pipeline-studio/1",\n  "nodes": [,]\n}');
    const error = await loadPipelineFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).message).toMatch(/^\$: not valid JSON at line 3, column 13: /);
  });

  it("reads UTF-8 with a byte-order mark, and UTF-16 with its mark", async () => {
    const text = JSON.stringify(minimal);
    const utf16be = Buffer.from(`\ufeff${text}`, "utf16le").swap16();
    const files: [string, Uint8Array][] = [
      ["bom.pipeline.json", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
      ["le.pipeline.json", Buffer.from(`\ufeff${text}`, "utf16le")],
      ["be.pipeline.json", utf16be],
    ];
    for (const [name, bytes] of files) {
      await writeFile(join(folder, name), bytes);
      expect((await loadPipelineFile(join(folder, name))).spec.nodes, name).toHaveLength(6);
    }
  });

  it.each([
    ["bytes that are not UTF-8", Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x20]), /is not valid UTF-8 text; save it as UTF-8$/],
    [
      "UTF-16 without its mark",
      Buffer.from(JSON.stringify(minimal), "utf16le"),
      /holds NUL bytes, so it is not UTF-8 text .*; save it as UTF-8$/,
    ],
  ])("says what to do with %s", async (_name, bytes, message) => {
    const path = join(folder, "odd.pipeline.json");
    await writeFile(path, bytes);
    const error = (await loadPipelineFile(path).catch((e: unknown) => e)) as SpecError;
    expect(error).toBeInstanceOf(SpecError);
    expect(error.problems).toEqual([{ path: "$", message: expect.stringMatching(message) }]);
  });

  it("reports JSON cut off inside 200,000 open brackets as bad JSON at $", async () => {
    const path = join(folder, "cut.pipeline.json");
    await writeFile(path, `{"format": "pipeline-studio/1", "nodes": ${"[".repeat(200_000)}`);
    const error = (await loadPipelineFile(path).catch((e: unknown) => e)) as SpecError;
    expect(error).toBeInstanceOf(SpecError);
    expect(error.problems).toEqual([{ path: "$", message: expect.stringMatching(/^not valid JSON/) }]);
  });

  it("reports a missing file at $", async () => {
    const error = await loadPipelineFile(join(folder, "none.pipeline.json")).catch((e: unknown) => e);
    expect((error as SpecError).message).toMatch(/^\$: cannot read .*none\.pipeline\.json: no such file$/);
  });

  it("refuses a named pipe, a device and a file over 16 MiB at once, naming the path and why", async () => {
    const pipe = makeNamedPipe(join(folder, "pipe.pipeline.json"));
    const big = join(folder, "big.pipeline.json");
    await writeFile(big, "");
    await truncate(big, 17 * 1024 * 1024);
    const messages = await Promise.all(
      [pipe, "/dev/zero", big].map((path) => loadPipelineFile(path).catch((error: SpecError) => error.message)),
    );
    expect(messages).toEqual([
      `$: cannot read ${pipe}: not a regular file (a named pipe)`,
      "$: cannot read /dev/zero: not a regular file (a character device)",
      `$: cannot read ${big}: it is 17 MiB, over the 16 MiB limit`,
    ]);
  });

  it("a file that is not JSON is reported by line and column, quoting none of it", async () => {
    const path = join(folder, "shadow");
    await writeFile(path, "root:$6$s3cr3tHash:19000:0:99999:7:::\n");
    const error = (await loadPipelineFile(path).catch((e: unknown) => e)) as SpecError;
    expect(error.message).toBe("$: not valid JSON at line 1, column 1: invalid symbol");
  });

  it("a half-drawn graph loads and saves; compiling says what stops it", async () => {
    const path = join(folder, "half.pipeline.json");
    const half = {
      format: "pipeline-studio/1",
      nodes: [
        { id: "numbers", kind: "source", op: "range" },
        { id: "wait", kind: "stage", op: "sleep" },
      ],
      edges: [],
    };
    await writeFile(path, JSON.stringify(half));
    const loaded = await loadPipelineFile(path);
    await savePipelineFile(path, loaded.spec);
    expect(() => compilePipeline(loaded.spec, { baseDir: folder })).toThrow(/nodes: the pipeline has no sink node/);
  });

  it("compiles merges, aggregate and disaggregate, with node ids as stage names", async () => {
    const path = join(folder, "p.pipeline.json");
    await writeFile(path, JSON.stringify(minimal));
    const { spec, baseDir } = await loadPipelineFile(path);
    const { builder, buildOptions } = compilePipeline(spec, { baseDir });
    const pipeline = builder.build(buildOptions);
    const items: unknown[] = [];
    for await (const item of pipeline) items.push(item);
    expect((items as number[]).sort((x, y) => x - y)).toEqual([1, 2, 3, 10, 11]);
    expect(pipeline.stageNames).toEqual(["a", "b", "pause", "batch", "unbatch"]);
    expect(pipeline.stats().queues.at(-1)).toMatchObject({ name: "unbatch→sink", capacity: 4 });
  });
});
