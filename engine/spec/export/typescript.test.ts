import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalog } from "../../ops/index.js";
import { SpecError } from "../problems.js";
import { RedisServer } from "../../remote/redisServer.js";
import { skipRemoteTests, startWorker } from "../../remote/testing/cluster.js";
import type { PipelineFile } from "../schema.js";
import { exportTypeScript } from "./index.js";
import {
  countInProcess,
  deliveredCount,
  nestedMergeFile,
  pipelineFile,
  REPO_ROOT,
  runnableChainFile,
  runnableMergeFile,
  routedFile,
  scratchFolderInRepo,
  seedLikeFile,
} from "./testing/files.js";

const run = promisify(execFile);
const TSC = join(REPO_ROOT, "node_modules/typescript/bin/tsc");

describe("exportTypeScript: the program's shape", () => {
  const program = exportTypeScript(seedLikeFile(), { baseDir: "/data/pipelines", file: "/data/pipelines/seed.pipeline.json" });

  it("imports the engine by package name and says which file it came from", () => {
    expect(program).toContain('import { PipelineBuilder, formatSummary, sourceOp, stageOp } from "pipeline-studio/engine";');
    expect(program.split("\n")[0]).toBe(
      '// Pipeline "Seed: download → preprocess", exported to TypeScript by Pipeline Studio from /data/pipelines/seed.pipeline.json.',
    );
  });

  it("passes the file's folder as baseDir to every catalog op", () => {
    expect(program).toContain('const atFileFolder = { baseDir: "/data/pipelines" };');
    expect(program.match(/(sourceOp|stageOp)\("/g)).toHaveLength(3);
    expect(program.match(/, atFileFolder\)/g)).toHaveLength(3);
  });

  it("writes each node as its builder call, params and options in full, ids as names", () => {
    const calls = [
      '.addSource(sourceOp("range", { count: 100, start: 0 }, atFileFolder), { name: "urls" })',
      'stageOp("sleep", { ms: 20, jitterMs: 5, distribution: "uniform", seed: 1 }, atFileFolder),',
      '{ name: "download", concurrency: 4, outputOrder: "completion", queueSize: 2, retries: 0 },',
      'stageOp("cpu", { ms: 5 }, atFileFolder),',
      '{ name: "preprocess", concurrency: 2, outputOrder: "input", queueSize: 2, retries: 0 },',
      ".addSink(3)",
      ".build({ numThreads: 3 });",
    ];
    let from = 0;
    for (const expected of calls) {
      const at = program.indexOf(expected, from);
      expect(at, `${expected} (in order)`).toBeGreaterThan(-1);
      from = at + expected.length;
    }
  });

  it("counts the items and prints the count and the stats table", () => {
    expect(program).toContain("for await (const _item of pipeline) delivered++;");
    expect(program).toContain("console.log(`Delivered ${delivered} items`);");
    expect(program).toContain("console.log(formatSummary(pipeline.stats()));");
  });

  it("writes the optional stage and build settings when the file sets them", () => {
    const spec = seedLikeFile();
    Object.assign(spec.nodes[1], { timeoutMs: 500, retries: 2, maxFailures: 3, queueSize: 4 });
    spec.build.maxFailures = 0.25;
    const text = exportTypeScript(spec, { baseDir: "/x" });
    expect(text).toContain(
      '{ name: "download", concurrency: 4, outputOrder: "completion", queueSize: 4, retries: 2, maxFailures: 3, timeoutMs: 500 }',
    );
    expect(text).toContain(".build({ numThreads: 3, maxFailures: 0.25 });");
  });

  it("turns a merge into merge() of one builder per branch, each with its own source", () => {
    const text = exportTypeScript(runnableMergeFile(), { baseDir: "/x" });
    expect(text).toContain('import { PipelineBuilder, formatSummary, merge, sourceOp, stageOp } from "pipeline-studio/engine";');
    expect(text).toContain(
      'const slowBranch = new PipelineBuilder()\n  .addSource(sourceOp("range", { count: 30, start: 5 }, atFileFolder), { name: "numbers" })',
    );
    // Too long for one line: one argument per line.
    expect(text).toContain(
      'const wordsBranch = new PipelineBuilder()\n  .addSource(\n    sourceOp("list", { items: ["a", "b", "c", { d: [1, null, true] }, "é", "q\\"uote", "line\\nbreak"] }, atFileFolder),\n    { name: "words" },\n  );',
    );
    expect(text).toContain("const pipeline = merge(slowBranch, wordsBranch)\n");
    expect(text).toContain('.aggregate(4, { dropLast: false, name: "batch", queueSize: 2 })');
    expect(text).toContain('.disaggregate({ name: "unbatch", queueSize: 2 })');
    expect(text).toContain('name: "join \\"here\\"\\nclass"');
    // The description's second line stays a comment.
    expect(text).toContain("\n// One stream.\n");
  });

  it("writes a route as pathVariants: its router op, one arrow function per path (an empty path returns its branch)", () => {
    const text = exportTypeScript(routedFile(), { baseDir: "/x" });
    expect(text).toContain(
      'stageOp<unknown, number>("routeBy", { field: null, values: null, otherwise: "fail", modulo: 3 }, atFileFolder),',
    );
    expect(text).toContain("(branch) => branch,");
    expect(text).toContain('(branch) => branch.aggregate(4, { dropLast: false, name: "batch", queueSize: 2 }),');
    expect(text).toContain('{ name: "pick", queueSize: 2 },');
    expect(text.indexOf('name: "inner"')).toBeGreaterThan(text.indexOf('name: "small"'));
  });

  it("resolves a relative baseDir, so the program does not depend on where it runs", () => {
    expect(exportTypeScript(seedLikeFile(), { baseDir: "examples" })).toContain(
      `const atFileFolder = { baseDir: ${JSON.stringify(join(process.cwd(), "examples"))} };`,
    );
  });

  it("exports a file whose only source is a list and whose sink has no stages before it", () => {
    const spec = pipelineFile({
      nodes: [
        { id: "items", kind: "source", op: "list", params: { items: [1, 2] } },
        { id: "out", kind: "sink" },
      ],
      edges: [{ from: "items", to: "out" }],
    });
    expect(exportTypeScript(spec, { baseDir: "/x" })).toContain(
      'const pipeline = new PipelineBuilder()\n  .addSource(sourceOp("list", { items: [1, 2] }, atFileFolder), { name: "items" })\n  .addSink(3)\n  .build({ numThreads: 4 });',
    );
  });

  it("throws the SpecError that validate reports for a file that cannot run", () => {
    const spec = seedLikeFile();
    spec.edges.pop();
    expect(() => exportTypeScript(spec, { baseDir: "/x" })).toThrow(SpecError);
    expect(() => exportTypeScript(spec, { baseDir: "/x" })).toThrow('"preprocess" has no output');
  });
});

/** The seed-like file with preprocess on remote workers, and a user-code stage after it (remote too), naming its Redis or not. */
function remoteFile(redis: string | null): PipelineFile {
  const spec = seedLikeFile();
  spec.nodes[2].runOn = "remote";
  if (redis !== null) spec.build.remote = { redis };
  return spec;
}

describe("exportTypeScript: remote stages", () => {
  it("keeps a catalog op remote (stageOp's runOn) and takes the Redis from PIPELINE_STUDIO_REDIS over the file's, as the CLI does", () => {
    const program = exportTypeScript(remoteFile("redis://:s3cret@10.0.0.5:6379"), { baseDir: "/data/pipelines" });
    expect(program).toContain('stageOp("cpu", { ms: 5 }, { ...atFileFolder, runOn: "remote" }),');
    expect(program).toContain('const redis = process.env.PIPELINE_STUDIO_REDIS ?? "redis://:s3cret@10.0.0.5:6379";');
    expect(program).toContain(".build({ numThreads: 3, remote: { redis: redis } });");
    expect(program).toContain("// 'preprocess' runs on remote workers (BullMQ on Redis): start them on any machine with");
    expect(program).not.toContain("remoteTask");
  });

  it("without a Redis in the file the program asks for PIPELINE_STUDIO_REDIS, naming the remote stages", () => {
    const program = exportTypeScript(remoteFile(null), { baseDir: "/data/pipelines" });
    expect(program).toContain("const redis = process.env.PIPELINE_STUDIO_REDIS;");
    expect(program).toContain(
      `if (!redis) throw new Error("'preprocess' runs on remote workers: set PIPELINE_STUDIO_REDIS to their Redis (redis://[:password@]host:port)");`,
    );
  });

  it("writes remote user code as remoteTask(), its module by file URL, rooted at the file's folder", () => {
    const spec = pipelineFile({
      nodes: [
        { id: "ids", kind: "source", op: "range", params: { count: 3 } },
        {
          id: "decode",
          kind: "stage",
          op: "module",
          params: { path: "ops/decode.mjs", export: "decode", args: { scale: 2 } },
          runOn: "remote",
        },
        { id: "sink", kind: "sink" },
      ],
      edges: [
        { from: "ids", to: "decode" },
        { from: "decode", to: "sink" },
      ],
      build: { remote: { redis: "redis://10.0.0.5:6379" } },
    });
    const program = exportTypeScript(spec, { baseDir: "/data/pipelines" });
    expect(program).toContain('import { PipelineBuilder, formatSummary, remoteTask, sourceOp, stageOp } from "pipeline-studio/engine";');
    expect(program).toContain(
      'remoteTask(new URL("file:///data/pipelines/ops/decode.mjs"), "decode", { scale: 2 }, { root: atFileFolder.baseDir })',
    );
  });

  it("a file without remote stages says nothing of Redis", () => {
    expect(exportTypeScript(seedLikeFile(), { baseDir: "/x" })).not.toMatch(/redis|remote/i);
  });
});

describe("exportTypeScript: the program compiles and runs like the file", () => {
  // Made in beforeAll, not while collecting: a describe filtered out by -t runs no afterAll to remove it.
  let scratch: ReturnType<typeof scratchFolderInRepo>;
  afterAll(() => scratch?.remove());

  beforeAll(async () => {
    scratch = scratchFolderInRepo();
    // The program imports pipeline-studio/engine, which resolves (package self-reference) to dist/.
    await run(process.execPath, [TSC, "-p", "tsconfig.build.json"], { cwd: REPO_ROOT });
  }, 120_000);

  const cases = [
    { name: "chain", spec: runnableChainFile() },
    { name: "merge", spec: runnableMergeFile() },
    { name: "nested", spec: nestedMergeFile() },
    { name: "routed", spec: routedFile() },
  ];

  it("compiles with the repo's TypeScript (strict, nodenext) and prints the same count as compilePipeline", async () => {
    const baseDir = join(REPO_ROOT, "examples");
    const sources = cases.map(({ name, spec }) => {
      const path = join(scratch.path, `${name}.ts`);
      writeFileSync(path, exportTypeScript(spec, { baseDir }));
      return path;
    });
    const tscArgs = ["--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--strict", "--skipLibCheck"];
    try {
      await run(process.execPath, [TSC, ...tscArgs, "--rootDir", scratch.path, "--outDir", scratch.path, ...sources], { cwd: REPO_ROOT });
    } catch (error) {
      const { stdout, stderr } = error as { stdout: string; stderr: string };
      throw new Error(`the exported programs do not compile:\n${stdout}${stderr}`, { cause: error });
    }

    for (const { name, spec } of cases) {
      // Run from another folder: relative paths must come from the exported baseDir, not the working directory.
      const { stdout } = await run(process.execPath, [join(scratch.path, `${name}.js`)], { cwd: scratch.path });
      const expected = await countInProcess(spec, baseDir);
      expect(deliveredCount(stdout), `${name}: printed count vs compilePipeline`).toBe(expected);
      expect(stdout, name).toMatch(/items delivered/);
    }
    // The counts are not trivially the source sizes: fail drops its share; the merge delivers both branches.
    expect(await countInProcess(cases[0].spec, baseDir)).toBe(catalog.has("fail") ? 90 : 100);
    expect(await countInProcess(cases[1].spec, baseDir)).toBe(37);
    expect(await countInProcess(cases[2].spec, baseDir)).toBe(9);
    expect(await countInProcess(cases[3].spec, baseDir)).toBe(31);
  }, 120_000);

  it.skipIf(skipRemoteTests)(
    "a remote stage's program compiles and runs on a private Redis with a worker, delivering what the file does",
    async () => {
      const baseDir = join(REPO_ROOT, "examples");
      const spec = runnableChainFile();
      const remoteStage = spec.nodes.find((node) => node.id === "preprocess")!;
      remoteStage.runOn = "remote";
      const source = join(scratch.path, "remote.ts");
      writeFileSync(source, exportTypeScript(spec, { baseDir }));
      const tscArgs = ["--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--strict", "--skipLibCheck"];
      await run(process.execPath, [TSC, ...tscArgs, "--rootDir", scratch.path, "--outDir", scratch.path, source], { cwd: REPO_ROOT });
      const server = await RedisServer.start();
      const worker = startWorker(server.url, { name: "exported", threads: 2 });
      try {
        await worker.ready;
        const { stdout } = await run(process.execPath, [join(scratch.path, "remote.js")], {
          cwd: scratch.path,
          env: { ...process.env, PIPELINE_STUDIO_REDIS: server.url },
        });
        expect(deliveredCount(stdout)).toBe(await countInProcess(runnableChainFile(), baseDir));
        // The worker did the stage's work: it says so on its stderr as it leaves the run.
        await expect
          .poll(() => worker.stderr(), { timeout: 10_000 })
          .toMatch(/Worker exported done with stage 'preprocess' of run \w+: [1-9]\d* jobs/);
      } finally {
        await worker.kill("SIGKILL");
        await server.stop();
      }
    },
    120_000,
  );
});
