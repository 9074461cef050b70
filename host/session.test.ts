import { chmod, lstat, mkdir, readFile, readdir, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PipelineFileInput, RunEnded, StudioEvent } from "./protocol.js";
import { RecentFiles } from "./recentFiles.js";
import { StudioSession } from "./session.js";
import { closeTestSession, nextRunEnd, openTestSession } from "./testing/testSession.js";

let home: string;
let session: StudioSession;
beforeEach(async () => ({ home, session } = await openTestSession("studio-session-")));
afterEach(() => closeTestSession(session, home));

describe("StudioSession", () => {
  it("lists and opens the examples; opening records a recent file", async () => {
    const examples = await session.handle("listExamples", {});
    expect(examples.map((example) => example.name)).toContain("seed-download-preprocess");
    const opened = await session.handle("openExample", { name: "seed-download-preprocess" });
    expect(opened.spec.nodes.map((node) => node.id)).toEqual(["urls", "download", "preprocess", "sink"]);
    expect(opened.problems).toEqual([]);
    expect(await session.handle("listRecentFiles", {})).toEqual([opened.path]);
  });

  it("an example that cannot be read is named, by line and column when it is not JSON, never quoted", async () => {
    const examplesDir = join(home, "examples");
    await mkdir(examplesDir);
    await writeFile(join(examplesDir, "broken.pipeline.json"), "root:$6$s3cr3tHash:19000\n");
    const withBroken = new StudioSession({ examplesDir, recentFiles: new RecentFiles(join(home, "recent.json")) });
    await expect(withBroken.handle("listExamples", {})).rejects.toThrow(
      `example ${join(examplesDir, "broken.pipeline.json")}: not valid JSON at line 1, column 1: invalid symbol`,
    );
  });

  it("runs a pipeline, pushing snapshots, and applies live knobs", async () => {
    const { spec } = await session.handle("openExample", { name: "input-order" });
    const events: StudioEvent[] = [];
    session.onEvent((event) => events.push(event));
    const ended = nextRunEnd(session);
    const { runId } = await session.handle("startRun", { spec, allowUserCode: [] });
    await new Promise((resolve) => setTimeout(resolve, 250));
    await session.handle("setConcurrency", { stage: "fetch", concurrency: 2 });
    const peek = await session.handle("peekEdge", { from: "ids", to: "fetch" });
    expect(peek.items.length).toBeGreaterThan(0);
    const result = await ended;
    expect(result).toMatchObject({ runId, outcome: "completed", error: null });
    expect(result.snapshot.itemsDelivered).toBe(300);
    const stats = events.filter((event) => event.type === "runStats");
    expect(stats.length).toBeGreaterThan(3);
    // A verdict once a second has passed: fetch (concurrency 8, then 2) limits this pipeline.
    const judged = stats.filter((event) => event.bottleneck !== null);
    expect(judged.length).toBeGreaterThan(0);
    expect(judged.at(-1)?.bottleneck?.stages.map((stage) => stage.stage)).toEqual(["fetch"]);
    expect(result.snapshot.stages.find((stage) => stage.name === "fetch")?.concurrency).toBe(2);
  });

  it("a page that connects mid-run is told the run: the graph it started with, its latest snapshot and history; every page hears it start and end", async () => {
    const { spec } = await session.handle("openExample", { name: "seed-download-preprocess" });
    const long = {
      ...spec,
      nodes: spec.nodes.map((node) => (node.id === "urls" ? { ...node, params: { ...node.params, count: 100_000 } } : node)),
    };
    const activities: StudioEvent[] = [];
    session.onEvent((event) => event.type === "activity" && activities.push(event));
    const firstStats = new Promise<void>((resolve) => {
      const off = session.onEvent((event) => {
        if (event.type === "runStats" && event.snapshot.elapsedMs > 0) {
          off();
          resolve();
        }
      });
    });
    const { runId } = await session.handle("startRun", { spec: long, allowUserCode: [] });
    await firstStats;
    const { activity, history } = await session.handle("getActivity", {});
    expect(activity).toMatchObject({ kind: "run", run: { runId, spec: { nodes: long.nodes } } });
    expect(activity.run?.snapshot?.state).toBe("running");
    expect(history.at(-1)).toBe(activity.run?.snapshot);
    const ended = nextRunEnd(session);
    await session.handle("stopRun", { mode: "abort" });
    await ended;
    expect(await session.handle("getActivity", {})).toEqual({ activity: { kind: null, run: null, analysis: null }, history: [] });
    expect(activities.map((event) => event.type === "activity" && event.activity.kind)).toEqual(["run", null]);
  });

  it("a demo run (repeatSources) goes on past its source's end until drained; every page is told it repeats; its report is kept", async () => {
    const { spec } = await session.handle("openExample", { name: "seed-download-preprocess" });
    const short = {
      ...spec,
      nodes: spec.nodes.map((node) => (node.id === "urls" ? { ...node, params: { ...node.params, count: 5 } } : node)),
    };
    const pastTheSource = new Promise<void>((resolve) => {
      const off = session.onEvent((event) => {
        if (event.type === "runStats" && event.snapshot.itemsDelivered > 20) {
          off();
          resolve();
        }
      });
    });
    await session.handle("startRun", { spec: short, allowUserCode: [], repeatSources: true });
    await pastTheSource;
    expect((await session.handle("getActivity", {})).activity.run?.repeatSources).toBe(true);
    const ended = nextRunEnd(session);
    await session.handle("stopRun", { mode: "drain" });
    expect((await ended).outcome).toBe("completed");
    expect((await session.handle("listRuns", {})).runs).toHaveLength(1);
  });

  it("reports a failed run naming the stage", async () => {
    const { spec } = await session.handle("openExample", { name: "failing-stage" });
    const ended = nextRunEnd(session);
    await session.handle("startRun", { spec, allowUserCode: [] });
    const result = await ended;
    expect(result.outcome).toBe("failed");
    expect(result.error?.stage).toBe("flaky");
    const failures = await session.handle("getFailures", {});
    expect(failures.length).toBe(6); // still browsable after the run ended
    expect(failures[0]).toMatchObject({ stage: "flaky", errorName: "SimulatedFailure" });
  });

  it("reports a run stopped with Stop as stopped", async () => {
    const { spec } = await session.handle("openExample", { name: "input-order" });
    const ended = nextRunEnd(session);
    await session.handle("startRun", { spec, allowUserCode: [] });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await session.handle("stopRun", { mode: "abort" });
    const result = await ended;
    expect(result.outcome).toBe("stopped");
    expect(result.snapshot.itemsDelivered).toBeLessThan(300);
  });

  it("validates without running and exports code", async () => {
    const { spec } = await session.handle("newPipeline", {});
    const report = await session.handle("validate", { spec });
    expect(report.runnable).toBe(false);
    expect(report.problems.map((problem) => problem.message)).toContain("the pipeline has no source node; add one (e.g. range)");
    const seed = await session.handle("openExample", { name: "seed-download-preprocess" });
    const { code } = await session.handle("exportCode", { spec: seed.spec, language: "python" });
    expect(code).toContain("from spdl.pipeline import PipelineBuilder");
  });

  it("validate lists every problem, the files a run would miss included, each on its node", async () => {
    const spec = {
      format: "pipeline-studio/1",
      nodes: [
        { id: "numbers", kind: "source", op: "range", params: { count: -1 } },
        { id: "user", kind: "stage", op: "module", params: { path: "missing.mjs" }, concurrency: 0 },
        { id: "sink", kind: "sink" },
      ],
      edges: [
        { from: "numbers", to: "user" },
        { from: "user", to: "sink" },
      ],
    };
    const report = await session.handle("validate", { spec: spec as PipelineFileInput });
    expect(report.runnable).toBe(false);
    expect(report.problems).toEqual([
      { path: "nodes[1].concurrency", message: "must be an integer ≥ 1, got 0", nodeId: "user" },
      { path: "nodes[0].params.count", message: "must be an integer ≥ 0, got -1", nodeId: "numbers" },
      { path: "nodes[1].params.path", message: expect.stringMatching(/missing\.mjs does not exist$/), nodeId: "user" },
    ]);
  });

  it("saves with Save As, then Save to the same path", async () => {
    const { spec } = await session.handle("openExample", { name: "input-order" });
    const target = join(home, "copy.pipeline.json");
    expect(await session.handle("saveFile", { path: target, spec })).toEqual({ path: target });
    expect(await session.handle("saveFile", { path: null, spec })).toEqual({ path: target });
    const reopened = await session.handle("openFile", { path: target });
    expect(reopened.spec).toEqual(spec);
  });

  it("a file whose format is refused (but JSON) opens to be fixed, every problem at its node; a file that is not JSON does not open", async () => {
    const { spec } = await session.handle("openExample", { name: "input-order" });
    const broken = { ...spec, nodes: spec.nodes.map((node, index) => (index === 1 ? { ...node, concurrency: 0, colour: "red" } : node)) };
    const file = join(home, "broken.pipeline.json");
    await writeFile(file, JSON.stringify(broken));
    const opened = await session.handle("openFile", { path: file });
    expect(opened).toMatchObject({ path: file, repaired: true });
    expect(opened.spec.nodes.map((node) => node.id)).toEqual(spec.nodes.map((node) => node.id));
    expect(opened.problems.map((problem) => [problem.path, problem.nodeId])).toEqual([
      ["nodes[1].concurrency", spec.nodes[1]!.id],
      ["nodes[1].colour", spec.nodes[1]!.id],
    ]);
    await writeFile(join(home, "text.pipeline.json"), "not json");
    await expect(session.handle("openFile", { path: join(home, "text.pipeline.json") })).rejects.toThrow("not valid JSON at line 1");
  });

  it("an uploaded file is checked as an opened one: relative paths resolve against the start folder, which it names; no path, so Save asks where", async () => {
    const examplesDir = join(import.meta.dirname, "..", "examples");
    const bytes = await readFile(join(examplesDir, "files-gzip-sha256.pipeline.json"));
    const upload = { name: "files-gzip-sha256.pipeline.json", base64: bytes.toString("base64") };
    const fromExamples = new StudioSession({ startDir: examplesDir, recentFiles: new RecentFiles(join(home, "recent.json")) });
    const opened = await fromExamples.handle("openUpload", upload);
    expect(opened).toMatchObject({ path: null, problems: [], uploaded: { name: upload.name, baseDir: examplesDir } });
    expect(opened.spec.nodes[0]!.params).toEqual({ folder: "data", pattern: "*.txt" });
    await expect(fromExamples.handle("saveFile", { path: null, spec: opened.spec })).rejects.toThrow("choose a file name (Save As)");
    // Started elsewhere, its data/ folder is missing there: said at its JSON path.
    const elsewhere = new StudioSession({ startDir: home, recentFiles: new RecentFiles(join(home, "recent.json")) });
    const missing = await elsewhere.handle("openUpload", upload);
    expect(missing.uploaded?.baseDir).toBe(home);
    expect(missing.problems.map((problem) => problem.path)).toEqual(["nodes[0].params.folder"]);
    expect(missing.problems[0]!.message).toContain(join(home, "data"));
    // Nothing uploaded goes into the recent files: it has no path to reopen.
    expect(await elsewhere.handle("listRecentFiles", {})).toEqual([]);
  });

  it("an upload that is no pipeline file is refused as an opened file is: too large, not text, not JSON, a refused format repaired", async () => {
    const base64 = (text: string | Buffer) => Buffer.from(text).toString("base64");
    await expect(
      session.handle("openUpload", { name: "big.json", base64: base64(Buffer.alloc(16 * 1024 * 1024 + 1, 32)) }),
    ).rejects.toThrow("cannot read big.json (uploaded): it is 16.0 MiB, over the 16 MiB limit");
    await expect(session.handle("openUpload", { name: "bin.json", base64: base64(Buffer.from([0x7b, 0, 0x7d])) })).rejects.toThrow(
      "bin.json (uploaded) holds NUL bytes",
    );
    await expect(session.handle("openUpload", { name: "text.json", base64: base64("not json") })).rejects.toThrow(
      "not valid JSON at line 1",
    );
    const { spec } = await session.handle("openExample", { name: "input-order" });
    const broken = { ...spec, nodes: spec.nodes.map((node, index) => (index === 1 ? { ...node, concurrency: 0 } : node)) };
    const repaired = await session.handle("openUpload", { name: "broken.pipeline.json", base64: base64(JSON.stringify(broken)) });
    expect(repaired).toMatchObject({ path: null, repaired: true, uploaded: { name: "broken.pipeline.json" } });
    expect(repaired.problems.map((problem) => problem.path)).toEqual(["nodes[1].concurrency"]);
  });

  it("fileText is the bytes Save writes", async () => {
    const { spec } = await session.handle("openExample", { name: "route-by-kind" });
    const target = join(home, "route.pipeline.json");
    await session.handle("saveFile", { path: target, spec });
    expect((await session.handle("fileText", { spec })).text).toBe(await readFile(target, "utf8"));
  });

  it("Save As replaces a file only when told to; a bare name goes beside the current file, with .pipeline.json", async () => {
    const { spec } = await session.handle("openExample", { name: "input-order" });
    const target = join(home, "mine.pipeline.json");
    await session.handle("saveFile", { path: target, spec });
    await writeFile(join(home, "other.pipeline.json"), "keep me");
    await expect(session.handle("saveFile", { path: "other", spec })).rejects.toThrow(
      `${join(home, "other.pipeline.json")} already exists: confirm to replace it`,
    );
    expect(await readFile(join(home, "other.pipeline.json"), "utf8")).toBe("keep me");
    expect(await session.handle("resolveSavePath", { path: "other" })).toEqual({
      path: join(home, "other.pipeline.json"),
      exists: true,
      base: `the current file's folder (${home})`,
    });
    expect(await session.handle("saveFile", { path: "other", spec, overwrite: true })).toEqual({ path: join(home, "other.pipeline.json") });
    expect(JSON.parse(await readFile(join(home, "other.pipeline.json"), "utf8")).name).toBe(spec.name);
  });

  it("Save keeps the file's identity: its permissions, a symlink stays a link; a read-only file is refused, unchanged", async () => {
    const { spec } = await session.handle("openExample", { name: "input-order" });
    const real = join(home, "real.pipeline.json");
    await session.handle("saveFile", { path: real, spec, overwrite: true });
    await chmod(real, 0o600);
    await symlink(real, join(home, "link.pipeline.json"));
    await session.handle("openFile", { path: join(home, "link.pipeline.json") });
    await chmod(join(home, "recent.json"), 0o600);
    expect(await session.handle("saveFile", { path: null, spec: { ...spec, name: "renamed" } })).toEqual({
      path: join(home, "link.pipeline.json"),
    });
    expect((await lstat(join(home, "link.pipeline.json"))).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await readFile(real, "utf8")).name).toBe("renamed");
    expect((await stat(real)).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, "recent.json"))).mode & 0o777).toBe(0o600);

    await chmod(real, 0o444);
    await expect(session.handle("saveFile", { path: null, spec })).rejects.toThrow(
      `${join(home, "link.pipeline.json")} is read-only; it was not replaced (make it writable, or save under another name)`,
    );
    expect(JSON.parse(await readFile(real, "utf8")).name).toBe("renamed");
  });
});

describe("StudioSession user code", () => {
  /** A pipeline whose module leaves a mark when it is imported: the mark says user code ran. */
  async function userCodePipeline(): Promise<{ spec: PipelineFileInput; module: string; mark: string }> {
    const module = join(home, "double.mjs");
    const mark = join(home, "imported.txt");
    await writeFile(
      module,
      `import { writeFileSync } from "node:fs";\nwriteFileSync(${JSON.stringify(mark)}, "imported");\nexport function double(item) { return item * 2; }\n`,
    );
    const spec: PipelineFileInput = {
      format: "pipeline-studio/1",
      nodes: [
        { id: "numbers", kind: "source", op: "range", params: { count: 20 } },
        { id: "double", kind: "stage", op: "module", params: { path: "double.mjs", export: "double" }, runOn: "loop" },
        { id: "out", kind: "sink" },
      ],
      edges: [
        { from: "numbers", to: "double" },
        { from: "double", to: "out" },
      ],
    };
    await session.handle("saveFile", { path: join(home, "user.pipeline.json"), spec });
    return { spec, module, mark };
  }

  it("runs user code only when the request carries the user's confirmation of every module; refuses before any of it runs", async () => {
    const { spec, module, mark } = await userCodePipeline();
    expect((await session.handle("validate", { spec })).userCode).toEqual([module]);
    const refusal = `this pipeline runs user code that was not confirmed: ${module}; nothing ran (confirm it to run)`;
    await expect(session.handle("startRun", { spec, allowUserCode: [] })).rejects.toThrow(refusal);
    await expect(session.handle("startRun", { spec, allowUserCode: [join(home, "other.mjs")] })).rejects.toThrow(refusal);
    await expect(session.handle("profile", { spec, maxConcurrency: 1, stepMs: 100, allowUserCode: [] })).rejects.toThrow(refusal);
    await expect(
      session.handle("autoTune", { spec, budgetThreads: 1, maxConcurrency: 1, timeLimitS: 5, allowUserCode: [] }),
    ).rejects.toThrow(refusal);
    await expect(readFile(mark, "utf8")).rejects.toThrow("ENOENT");

    const ended = nextRunEnd(session);
    await session.handle("startRun", { spec, allowUserCode: [module] });
    expect(await ended).toMatchObject({ outcome: "completed", snapshot: { itemsDelivered: 20 } });
    expect(await readFile(mark, "utf8")).toBe("imported");
  });
});

describe("StudioSession run reports", () => {
  /** The input-order example, copied where it can be saved, with `count` items. */
  async function savedCopy(name: string, count = 60): Promise<{ spec: PipelineFileInput; path: string }> {
    const { spec } = await session.handle("openExample", { name: "input-order" });
    spec.nodes[0].params = { ...spec.nodes[0].params, count };
    const { path } = await session.handle("saveFile", { path: join(home, `${name}.pipeline.json`), spec });
    return { spec, path };
  }

  async function run(spec: PipelineFileInput, during?: () => Promise<unknown>): Promise<RunEnded> {
    const ended = nextRunEnd(session);
    await session.handle("startRun", { spec, allowUserCode: [] });
    await during?.();
    return ended;
  }

  it("saves each run's report beside the pipeline file; lists, reads and compares them", async () => {
    const { spec } = await savedCopy("mine");
    const first = await run(spec);
    const second = await run(spec, async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await session.handle("setConcurrency", { stage: "fetch", concurrency: 2 });
    });
    expect(first.reportId).toMatch(/^\d{4}-.*Z-completed\.run\.json$/);
    expect((await readdir(join(home, "mine.runs"))).sort()).toEqual([first.reportId, second.reportId].sort());

    const list = await session.handle("listRuns", {});
    expect(list.folder).toBe(join(home, "mine.runs"));
    expect(list.runs.map((entry) => entry.id)).toEqual([second.reportId, first.reportId]);
    expect(list.runs[1]).toMatchObject({ outcome: "completed", itemsDelivered: 60, settings: "2 threads · fetch ×8" });

    const report = await session.handle("getRun", { id: second.reportId! });
    expect(report.settings.liveChanges).toEqual(["fetch.concurrency 8 → 2"]);
    const comparison = await session.handle("compareRuns", { a: first.reportId!, b: second.reportId! });
    expect(comparison.rows.find((row) => row.label === "fetch.concurrency")).toMatchObject({ a: 8, b: 2, differs: true });
    expect(comparison.rows.find((row) => row.label === "items/s")?.better).toBe("a");
  });

  it("keeps an unsaved pipeline's runs in memory, and moves them beside the file once it is saved", async () => {
    const { spec } = await savedCopy("draft");
    await session.handle("newPipeline", {});
    const ended = await run(spec);
    expect(ended.reportId).toBe("session-1");
    expect(await session.handle("listRuns", {})).toMatchObject({ folder: null, runs: [{ id: "session-1", path: null }] });
    expect((await session.handle("getRun", { id: "session-1" })).pipeline.file).toBeNull();

    await session.handle("saveFile", { path: join(home, "kept.pipeline.json"), spec });
    const list = await session.handle("listRuns", {});
    expect(list.runs).toHaveLength(1);
    expect(list.runs[0].path).toBe(join(home, "kept.runs", list.runs[0].id));
    expect((await session.handle("getRun", { id: list.runs[0].id })).pipeline.file).toBe(join(home, "kept.pipeline.json"));
  });

  it("a report that cannot be written is a notice, and the run is still kept for the session", async () => {
    const { spec } = await savedCopy("blocked");
    await writeFile(join(home, "blocked.runs"), "a file where the runs folder would go");
    const ended = await run(spec);
    expect(ended.outcome).toBe("completed");
    expect(ended.reportNotice).toMatch(
      /^The run report could not be saved beside .*blocked\.pipeline\.json \(.+\); it is kept for this session only\.$/,
    );
    expect((await session.handle("listRuns", {})).runs.map((entry) => entry.id)).toEqual([ended.reportId]);
  });

  it("never writes into the bundled examples: their runs stay in memory", async () => {
    const { spec } = await session.handle("openExample", { name: "input-order" });
    spec.nodes[0].params = { ...spec.nodes[0].params, count: 20 };
    const ended = await run(spec);
    expect(ended.reportId).toMatch(/^session-\d+$/);
    expect(await session.handle("listRuns", {})).toMatchObject({ folder: null, runs: [{ id: ended.reportId }] });
  });
});
