import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalog, describeCatalog } from "../../ops/index.js";
import { SpecError } from "../problems.js";
import type { PipelineFile } from "../schema.js";
import { exportPython, pythonOps } from "./index.js";
import { readSpdlStandInRecord, writeSpdlStandIn } from "./testing/spdlStandIn.js";
import {
  countInProcess,
  deliveredCount,
  hasPython,
  itemsInProcess,
  nestedMergeFile,
  pipelineFile,
  realOpsFile,
  REPO_ROOT,
  runnableChainFile,
  runnableMergeFile,
  routedFile,
  scratchFolderInRepo,
  seedLikeFile,
} from "./testing/files.js";

const run = promisify(execFile);

const PYTHON = hasPython() ? "python3" : null;

/** A one-op file: the op with its default params, as a node dropped on the canvas has them. */
function singleOpFile(opName: string): PipelineFile {
  const op = catalog.get(opName)!;
  const source =
    op.kind === "source"
      ? { id: "in", kind: "source" as const, op: opName }
      : { id: "in", kind: "source" as const, op: "list", params: { items: ["x"] } };
  if (op.kind === "stage" && op.router) {
    // A router picks a path: a route node whose two empty paths meet again at the sink.
    return pipelineFile({
      nodes: [source, { id: `${opName} route`, kind: "route", op: opName }, { id: "out", kind: "sink" }],
      edges: [
        { from: "in", to: `${opName} route` },
        { from: `${opName} route`, to: "out", path: 0 },
        { from: `${opName} route`, to: "out", path: 1 },
      ],
    });
  }
  const stage = op.kind === "stage" ? [{ id: `${opName} stage`, kind: "stage" as const, op: opName }] : [];
  const ids = ["in", ...stage.map((node) => node.id), "out"];
  return pipelineFile({
    nodes: [source, ...stage, { id: "out", kind: "sink" }],
    edges: ids.slice(1).map((to, index) => ({ from: ids[index], to })),
  });
}

describe("exportPython: the program's shape", () => {
  const program = exportPython(seedLikeFile(), { baseDir: "/data/pipelines", file: "/data/pipelines/seed.pipeline.json" });

  it("declares UTF-8 on line 1, leaves line 2 empty, imports SPDL's builder and says which file it came from", () => {
    expect(program.split("\n").slice(0, 2)).toEqual(["# -*- coding: utf-8 -*-", ""]);
    expect(program).toContain("\nfrom spdl.pipeline import PipelineBuilder\n");
    expect(program.split("\n")[2]).toBe(
      '# Pipeline "Seed: download → preprocess", exported to Python (SPDL) by Pipeline Studio from /data/pipelines/seed.pipeline.json.',
    );
  });

  it("writes each node as SPDL's builder call, in order, ids as stage names", () => {
    const calls = [
      "pipeline = (",
      "PipelineBuilder()",
      '.add_source(range(0, 100))  # node "urls": SPDL sources take no name',
      '.pipe(download, concurrency=4, name="download", output_order="completion")\n',
      '.pipe(preprocess, concurrency=2, name="preprocess", output_order="input")\n',
      '.add_sink(3)  # node "sink"',
      ".build(num_threads=3)\n",
      "with pipeline.auto_stop():",
      "for _item in pipeline:",
      'print(f"Delivered {delivered} items")',
    ];
    let from = 0;
    for (const expected of calls) {
      const at = program.indexOf(expected, from);
      expect(at, `${expected} (in order)`).toBeGreaterThan(-1);
      from = at + expected.length;
    }
  });

  it("defines each stage as a Python function with every param written out", () => {
    expect(program).toContain('download = make_sleep(ms=20, jitter_ms=5, distribution="uniform", seed=1)\npreprocess = make_cpu(ms=5)\n');
    // sleep awaits on SPDL's loop with seeded jitter; cpu is a plain def for SPDL's thread pool.
    expect(program).toContain("    async def sleep(item):");
    expect(program).toContain("        await asyncio.sleep(delay_ms / 1000)");
    expect(program).toContain("    rng = random.Random(seed)");
    expect(program).toContain("    def cpu(item):\n        until = time.perf_counter() + ms / 1000");
    expect(program).toContain(
      "import asyncio\nimport math\nimport random\nimport sys\nimport time\n\nfrom spdl.pipeline import PipelineBuilder",
    );
  });

  it("runs remote stages in the program's own process, saying so at the top and on the stage's line", () => {
    const text = exportPython(remoteSeedLikeFile(), { baseDir: "/x" });
    expect(text).toContain(
      "# Its remote stages (runOn \"remote\": Pipeline Studio's BullMQ workers on Redis) run in this process\n# like any other: SPDL has no BullMQ executor, so the file's Redis and its workers are not used here.\n",
    );
    expect(text).toContain(
      '.pipe(preprocess, concurrency=2, name="preprocess", output_order="input")  # not in SPDL: runOn "remote" (runs in this process: SPDL has no BullMQ executor)\n',
    );
    expect(text).not.toContain("s3cret");
    expect(exportPython(seedLikeFile(), { baseDir: "/x" })).not.toMatch(/remote|BullMQ/);
  });

  it("maps max_failures to SPDL's parameters and writes what SPDL lacks as a comment on the line", () => {
    const spec = seedLikeFile();
    Object.assign(spec.nodes[1], { timeoutMs: 500, retries: 2, maxFailures: 3, queueSize: 4 });
    Object.assign(spec.nodes[2], { maxFailures: 0.1 });
    spec.build.maxFailures = 5;
    const text = exportPython(spec, { baseDir: "/x" });
    expect(text).toContain(
      '.pipe(download, concurrency=4, name="download", output_order="completion", max_failures=3)  # not in SPDL: queueSize 4, timeoutMs 500, retries 2\n',
    );
    expect(text).toContain('.pipe(preprocess, concurrency=2, name="preprocess", output_order="input", max_failures=Fraction("0.1"))\n');
    expect(text).toContain("from fractions import Fraction\n");
    expect(text).toContain(".build(num_threads=3, max_failures=5)\n");
  });

  it("builds a merge from spdl.pipeline.defs: a PipelineConfig per branch, Merge, build_pipeline", () => {
    const text = exportPython(runnableMergeFile(), { baseDir: "/x" });
    expect(text).toContain(
      "from spdl.pipeline import build_pipeline\nfrom spdl.pipeline.defs import Aggregate, Disaggregate, Merge, Pipe, PipelineConfig, SinkConfig, SourceConfig\n",
    );
    expect(text).not.toContain("PipelineBuilder()");
    expect(text).not.toContain("import PipelineBuilder");
    expect(text).toContain("SPDL's PipelineBuilder builds a single chain");
    expect(text).toContain(
      [
        "    slow_branch = PipelineConfig(",
        '        src=SourceConfig(range(5, 35)),  # node "numbers": SPDL sources take no name',
        "        pipes=[",
        '            Pipe(slow, concurrency=3, name="slow", output_order="completion"),',
        "        ],",
        "        sink=SinkConfig(2),",
        "    )",
        "    words_branch = PipelineConfig(",
        '        src=SourceConfig(["a", "b", "c", {"d": [1, None, True]}, "é", "q\\"uote", "line\\nbreak"]),  # node "words": SPDL sources take no name',
        "        pipes=[],",
        "        sink=SinkConfig(2),",
        "    )",
        "    config = PipelineConfig(",
        "        src=Merge([slow_branch, words_branch]),",
        "        pipes=[",
        '            Pipe(join_here_class, concurrency=2, name="join \\"here\\"\\nclass", output_order="input"),',
        '            Aggregate(4, drop_last=False),  # node "batch": SPDL names it itself',
        '            Disaggregate(),  # node "unbatch": SPDL names it itself',
        "        ],",
        '        sink=SinkConfig(5),  # node "out"',
        "    )",
        "    pipeline = build_pipeline(config, num_threads=2)",
      ].join("\n"),
    );
  });

  it("reads files relative to the pipeline file's folder", () => {
    const spec = pipelineFile({
      nodes: [
        { id: "inputs", kind: "source", op: "files", params: { folder: "data", pattern: "**/*.json" } },
        { id: "read", kind: "stage", op: "readFile" },
        { id: "out", kind: "sink" },
      ],
      edges: [
        { from: "inputs", to: "read" },
        { from: "read", to: "out" },
      ],
    });
    const text = exportPython(spec, { baseDir: "/data/pipelines" });
    expect(text).toContain('BASE_DIR = pathlib.Path("/data/pipelines")');
    expect(text).toContain('.add_source(list_files("data", "**/*.json"))');
    expect(text).toContain("    root = BASE_DIR / folder\n");
    expect(text).toContain("        absolute = BASE_DIR / path\n");
  });

  it("writes a route as path_variants with SPDL's Pipe configs per path, an empty path as pass_through", () => {
    const text = exportPython(routedFile(), { baseDir: "/x" });
    expect(text).toContain('pick = make_route_by(field=None, values=None, otherwise="fail", modulo=3)');
    expect(text).toContain("        .path_variants(\n            pick,\n            [\n");
    expect(text).toContain("PathVariants(\n");
    expect(text).toContain('Pipe(pass_through, name="pick path 1"),  # an empty path');
    expect(text).toContain("Aggregate(4, drop_last=False),");
    expect(text).toContain("from spdl.pipeline.defs import Aggregate, PathVariants, Pipe");
    expect(text).toContain("# A route is SPDL's path_variants.");
  });

  it("throws the SpecError that validate reports for a file that cannot run", () => {
    const spec = seedLikeFile();
    spec.nodes[1].op = "slepe";
    expect(() => exportPython(spec, { baseDir: "/x" })).toThrow(SpecError);
    expect(() => exportPython(spec, { baseDir: "/x" })).toThrow('nodes[1].op: unknown op "slepe"; did you mean "sleep"?');
  });
});

describe("exportPython: every catalog op has a Python counterpart", () => {
  const described = describeCatalog();

  it.each(described.map((op) => [op.name, op] as const))("%s", (name, op) => {
    const mapping = pythonOps.get(name);
    if (!mapping) throw new Error(`op "${name}" has no Python mapping: add it to pythonOps in engine/spec/export/pythonOps.ts`);
    expect(mapping.kind, `op "${name}" is a ${op.kind}; its Python mapping must be one too`).toBe(op.kind);
    const declared = Object.keys((op.paramsSchema.properties ?? {}) as Record<string, unknown>).sort();
    expect([...mapping.params].sort(), `the Python mapping of "${name}" must carry exactly the op's params`).toEqual(declared);
    const text = exportPython(singleOpFile(name), { baseDir: "/x" });
    expect(text).not.toContain("No Python counterpart");
    expect(text).not.toContain("Not ported");
  });

  it("covers only ops the catalog has", () => {
    expect([...pythonOps.keys()].filter((name) => !catalog.has(name))).toEqual([]);
  });
});

/** The seed-like file with preprocess on remote workers and a Redis (with a password) in the file. */
function remoteSeedLikeFile(): PipelineFile {
  const spec = seedLikeFile();
  spec.nodes[2].runOn = "remote";
  spec.build.remote = { redis: "redis://:s3cret@10.0.0.5:6379" };
  return spec;
}

describe.skipIf(PYTHON === null)("exportPython: the program compiles and runs (python3)", () => {
  // Made in beforeAll, not while collecting: a describe filtered out by -t runs no afterAll to remove it.
  let scratch: ReturnType<typeof scratchFolderInRepo>;
  let standIn: string;
  afterAll(() => scratch?.remove());
  beforeAll(() => {
    scratch = scratchFolderInRepo();
    standIn = writeSpdlStandIn(join(scratch.path, "spdl-stand-in"));
  });

  it("compiles (py_compile) for the seed-like file, a merge, and every catalog op", async () => {
    const programs: [string, PipelineFile][] = [
      ["seed_like", seedLikeFile()],
      ["remote", remoteSeedLikeFile()],
      ["merge", runnableMergeFile()],
      ["routed", routedFile()],
      ...[...catalog.keys()].map((name) => [`op_${name}`, singleOpFile(name)] as [string, PipelineFile]),
    ];
    const paths = programs.map(([name, spec]) => {
      const path = join(scratch.path, `${name}.py`);
      writeFileSync(path, exportPython(spec, { baseDir: REPO_ROOT }));
      return path;
    });
    try {
      await run(PYTHON!, ["-m", "py_compile", ...paths]);
    } catch (error) {
      throw new Error(`an exported program does not compile:\n${(error as { stderr: string }).stderr}`, { cause: error });
    }
  }, 60_000);

  it("runs against a stand-in for spdl.pipeline with SPDL's signatures and delivers the same count as compilePipeline", async () => {
    const baseDir = join(REPO_ROOT, "examples");
    for (const [name, spec] of [
      ["chain", runnableChainFile()],
      ["merge", runnableMergeFile()],
      ["nested", nestedMergeFile()],
      ["routed", routedFile()],
    ] as const) {
      const path = join(scratch.path, `run_${name}.py`);
      writeFileSync(path, exportPython(spec, { baseDir }));
      let stdout: string;
      try {
        ({ stdout } = await run(PYTHON!, [path], { cwd: scratch.path, env: { ...process.env, PYTHONPATH: standIn } }));
      } catch (error) {
        throw new Error(`the exported ${name} program failed:\n${(error as { stderr: string }).stderr}`, { cause: error });
      }
      expect(deliveredCount(stdout), `${name}: Python count vs compilePipeline`).toBe(await countInProcess(spec, baseDir));
    }
  }, 60_000);

  it("computes what the engine computes with the real ops: the same SHA-256 of the same JSON, file by file", async () => {
    const baseDir = join(scratch.path, "real");
    mkdirSync(join(baseDir, "data"), { recursive: true });
    mkdirSync(join(baseDir, "data", ".hidden"));
    writeFileSync(join(baseDir, "data", "a.json"), JSON.stringify({ id: 1, tags: ["x", "é"], ok: true, none: null }));
    writeFileSync(join(baseDir, "data", "b.json"), '[1, 2, {"nested": "text with \\"quotes\\""}]');
    writeFileSync(join(baseDir, "data", "c.json"), '"just a string"');
    writeFileSync(join(baseDir, "data", "skipped.txt"), "not json");
    writeFileSync(join(baseDir, "data", ".hidden", "d.json"), "{}");
    const spec = realOpsFile();
    const expected = (await itemsInProcess(spec, baseDir)) as string[];
    expect(expected).toHaveLength(3);
    expect(expected.every((digest) => /^[0-9a-f]{64}$/.test(digest))).toBe(true);

    const program = join(scratch.path, "run_real_ops.py");
    // Run from another folder than the file's: BASE_DIR must still find the files.
    writeFileSync(program, exportPython(spec, { baseDir }));
    const recordFile = join(scratch.path, "real-record.json");
    try {
      await run(PYTHON!, [program], { cwd: REPO_ROOT, env: { ...process.env, PYTHONPATH: standIn, SPDL_STAND_IN_RECORD: recordFile } });
    } catch (error) {
      throw new Error(`the exported real-ops program failed:\n${(error as { stderr: string }).stderr}`, { cause: error });
    }
    const delivered = readSpdlStandInRecord(recordFile).items as string[];
    // Stages with concurrency > 1 deliver in completion order: compare the digests as sets.
    expect([...delivered].sort()).toEqual([...expected].sort());
  }, 60_000);
});
