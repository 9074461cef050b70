import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SpecError, type PipelineFile } from "../../engine/spec/index.js";
import { exportCommand, type Exporters } from "./exportCommand.js";
import type { CliIo } from "./output.js";

/** `export` with stand-in exporters: what reaches them, and where their text goes. */

let folder: string;
let valid: string;
let invalid: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "pipeline-export-"));
  valid = join(folder, "valid.pipeline.json");
  invalid = join(folder, "invalid.pipeline.json");
  const nodes = [
    { id: "numbers", kind: "source", op: "range" },
    { id: "out", kind: "sink" },
  ];
  await writeFile(valid, JSON.stringify({ format: "pipeline-studio/1", nodes, edges: [{ from: "numbers", to: "out" }] }));
  await writeFile(invalid, JSON.stringify({ format: "pipeline-studio/1", nodes }));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

function capture(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: { write: (text: string) => out.push(text) }, stderr: { write: (text: string) => err.push(text) } };
}

function fakeExporters(calls: { language: string; spec: PipelineFile; options: { baseDir: string; file?: string } }[]): Exporters {
  return {
    exportTypeScript: (spec, options) => (calls.push({ language: "ts", spec, options }), "// TypeScript"),
    exportPython: (spec, options) => (calls.push({ language: "python", spec, options }), "# Python\n"),
  };
}

describe("export", () => {
  it("hands the spec and the file's folder to the chosen exporter and prints the program on stdout", async () => {
    const calls: Parameters<typeof fakeExporters>[0] = [];
    const io = capture();
    expect(await exportCommand(valid, { to: "ts" }, { io, exporters: fakeExporters(calls) })).toBe(0);
    expect(calls).toHaveLength(1);
    expect(calls[0].language).toBe("ts");
    expect(calls[0].options).toEqual({ baseDir: folder, file: valid });
    expect(calls[0].spec.nodes.map((node) => node.id)).toEqual(["numbers", "out"]);
    expect(io.out.join("")).toBe("// TypeScript\n");
    expect(io.err).toEqual([]);
  });

  it("-o writes the file whole (through a temporary file that does not stay behind)", async () => {
    const io = capture();
    const target = join(folder, "pipeline.py");
    expect(await exportCommand(valid, { to: "python", out: target }, { io, exporters: fakeExporters([]) })).toBe(0);
    expect(await readFile(target, "utf8")).toBe("# Python\n");
    expect((await readdir(folder)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
    expect(io.out).toEqual([]);
    expect(io.err).toEqual([`Wrote ${target}\n`]);
  });

  it("a file that cannot run exports nothing: its problems on stderr, exit 1", async () => {
    const calls: Parameters<typeof fakeExporters>[0] = [];
    const io = capture();
    expect(await exportCommand(invalid, { to: "ts" }, { io, exporters: fakeExporters(calls) })).toBe(1);
    expect(calls).toEqual([]);
    expect(io.out).toEqual([]);
    expect(io.err.join("")).toMatch(/^nodes\[0\]: "numbers" has no output/);
  });

  it("an exporter's own SpecError is shown at its paths; an unwritable -o is an error, exit 1", async () => {
    const refusing: Exporters = {
      exportTypeScript: () => {
        throw new SpecError([{ path: "nodes[0].op", message: "has no TypeScript form" }]);
      },
      exportPython: () => "# Python",
    };
    const io = capture();
    expect(await exportCommand(valid, { to: "ts" }, { io, exporters: refusing })).toBe(1);
    expect(io.err).toEqual(["nodes[0].op: has no TypeScript form\n"]);

    const unwritable = capture();
    expect(
      await exportCommand(valid, { to: "python", out: join(folder, "missing-folder", "x.py") }, { io: unwritable, exporters: refusing }),
    ).toBe(1);
    expect(unwritable.err).toEqual([`error: cannot save ${join(folder, "missing-folder", "x.py")}: its folder does not exist\n`]);
  });
});
