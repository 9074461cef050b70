import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdtemp, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeNamedPipe, releaseNamedPipe } from "../../engine/testing/namedPipes.js";
import { spawnCli, type CliResult, type SpawnOptions } from "./testing/spawnCli.js";

/** End to end: the built CLI, spawned as a user would run it, on pipeline files in a temp folder. */

const root = fileURLToPath(new URL("../..", import.meta.url));
const cliSource = join(root, "host/cli");

function runCli(args: string[], options: SpawnOptions = {}): Promise<CliResult> {
  return spawnCli(folder, args, options);
}

type Node = Record<string, unknown>;

function pipelineFile(nodes: Node[], build?: Node): string {
  const edges = nodes.slice(1).map((node, index) => ({ from: nodes[index].id, to: node.id }));
  return JSON.stringify({ format: "pipeline-studio/1", nodes, edges, ...(build ? { build } : {}) }, null, 2);
}

const source = (count: number): Node => ({ id: "numbers", kind: "source", op: "range", params: { count } });
const sink: Node = { id: "out", kind: "sink" };
const work = (ms: number, concurrency: number, extra: Node = {}): Node => ({
  id: "work",
  kind: "stage",
  op: "sleep",
  params: { ms },
  concurrency,
  ...extra,
});

let folder: string;
/** A file named by mistake: its text must never reach an error message. */
const SHADOW = "root:$6$s3cr3tHash:19000:0:99999:7:::\n";

const files = {
  quick: pipelineFile([source(30), work(2, 4), sink]),
  // ~2.3 s at one call at a time: long enough for two plain progress lines.
  paced: pipelineFile([source(230), work(10, 1), sink]),
  long: pipelineFile([source(1_000_000), work(10, 4), sink]),
  failing: pipelineFile([source(20), work(200, 1, { id: "slow", timeoutMs: 20, maxFailures: 0 }), sink]),
  invalid: JSON.stringify({
    format: "pipeline-studio/1",
    nodes: [source(-1), { id: "work", kind: "stage", op: "slep" }, sink],
    edges: [{ from: "numbers", to: "work" }],
  }),
  structural: JSON.stringify({ format: "pipeline-studio/1", nodes: [{ id: "numbers", kind: "source", op: "range", concurrency: 0 }] }),
  userCode: pipelineFile([
    source(10),
    { id: "double", kind: "stage", op: "module", params: { path: "double.mjs", export: "double" }, runOn: "loop" },
    sink,
  ]),
};
const path = (name: keyof typeof files) => join(folder, `${name}.pipeline.json`);

beforeAll(async () => {
  assertBuilt();
  folder = await mkdtemp(join(tmpdir(), "pipeline-cli-"));
  for (const [name, text] of Object.entries(files)) await writeFile(path(name as keyof typeof files), text);
  await writeFile(join(folder, "double.mjs"), "export function double(item) { return item * 2; }\n");
  await writeFile(join(folder, "bad-json.pipeline.json"), '{ "format": "pipeline-studio/1", "nodes": [ }');
  await writeFile(join(folder, "shadow"), SHADOW);
  makeNamedPipe(join(folder, "pipe.pipeline.json"));
  await writeFile(join(folder, "big.pipeline.json"), "");
  await truncate(join(folder, "big.pipeline.json"), 17 * 1024 * 1024);
});

afterAll(async () => {
  if (folder) releaseNamedPipe(join(folder, "pipe.pipeline.json"));
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** These tests run the build, not the sources: a stale build would test old code. */
function assertBuilt(): void {
  const stale = readdirSync(cliSource)
    .filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts"))
    .filter((name) => {
      const built = join(root, "dist/host/cli", name.replace(/\.ts$/, ".js"));
      return !existsSync(built) || statSync(built).mtimeMs < statSync(join(cliSource, name)).mtimeMs;
    });
  if (stale.length > 0) throw new Error(`dist/ is older than host/cli/${stale[0]}: run \`npx tsc -p tsconfig.build.json\` first`);
}

/** The table's row for a stage, split into cells. */
function row(table: string, stage: string): string[] {
  const line = table.split("\n").find((text) => text.startsWith(`${stage} `));
  if (!line) throw new Error(`no row for ${stage} in:\n${table}`);
  return line.trim().split(/\s{2,}/);
}

describe("run", () => {
  it("prints the per-stage table and totals on stdout and exits 0", async () => {
    const { code, stdout, stderr } = await runCli(["run", path("quick")]);
    expect(code, stderr).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0].split(/\s{2,}/)).toEqual([
      "stage",
      "runs on",
      "conc",
      "in",
      "out",
      "failed",
      "p50 ms",
      "p90 ms",
      "p99 ms",
      "busy",
      "items/s",
    ]);
    const [name, runsOn, concurrency, itemsIn, itemsOut, failed, p50, p90, p99, busy, rate] = row(stdout, "work");
    expect([name, runsOn, concurrency, itemsIn, itemsOut, failed]).toEqual(["work", "loop", "4", "30", "30", "0"]);
    for (const latency of [p50, p90, p99]) expect(Number(latency)).toBeGreaterThanOrEqual(1.5);
    expect(busy).toMatch(/^\d+%$/);
    expect(Number(rate)).toBeGreaterThan(0);
    expect(row(stdout, "numbers").slice(0, 5)).toEqual(["numbers", "loop", "-", "-", "30"]);
    expect(stdout).toMatch(/^total: 30 items delivered in \d+\.\d+ s \([\d.]+ items\/s\), 0 failures — completed$/m);
    expect(lines.at(-1)).toMatch(/^Bottleneck: (none|work — .+)$/);
    expect(stderr).toBe("");
  });

  it("--json prints exactly one JSON document on stdout and nothing else there", async () => {
    const { code, stdout, stderr } = await runCli(["run", path("quick"), "--json"]);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      file: path("quick"),
      outcome: "completed",
      itemsDelivered: 30,
      error: null,
      userCode: [],
      problems: [],
    });
    expect(report.stats.state).toBe("completed");
    expect(report.stats.itemsDelivered).toBe(30);
    expect(report.stats.stages.map((stage: { name: string }) => stage.name)).toEqual(["numbers", "work"]);
    expect(report.elapsedMs).toBe(report.stats.elapsedMs);
    expect(report.settings).toMatchObject({ numThreads: 4, maxFailures: null, limit: null, overrides: [] });
    expect(stdout).not.toContain("total:");
    expect(report.bottleneck.line).toMatch(/^Bottleneck: /);
    expect(report.bottleneck.stages.map((stage: { stage: string }) => stage.stage)).toEqual(["work"]);
  });

  it("--limit N stops after N delivered items: outcome limit, exit 0", async () => {
    const { code, stdout, stderr } = await runCli(["run", path("long"), "--limit", "7", "--json"]);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.outcome).toBe("limit");
    expect(report.itemsDelivered).toBe(7);
    expect(report.stats.itemsDelivered).toBe(7);
    expect(report.settings.limit).toBe(7);
    expect(report.stats.elapsedMs).toBeLessThan(20_000);
  });

  it("--stats-interval S prints SPDL-shaped stage and queue lines to stderr; the JSON on stdout is unchanged", async () => {
    const { code, stdout, stderr } = await runCli(["run", path("quick"), "--stats-interval", "0.05", "--no-progress", "--json"]);
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout).outcome).toBe("completed");
    const lines = stderr.trimEnd().split("\n");
    // The last set covers the end of the run: every task and item counted once over all intervals.
    const completed = lines
      .filter((line) => line.startsWith("[work]\tCompleted"))
      .map((line) => Number(/Completed +(\d+) tasks/.exec(line)![1]));
    expect(completed.reduce((a, b) => a + b, 0)).toBe(30);
    expect(lines.find((line) => line.startsWith("[work]\t"))).toMatch(
      /^\[work\]\tCompleted +\d+ tasks \( +0 failed\)\. Ave task time: +[\d.]+ \[( us| ms|sec)\]\. P90: .*\. P99: .*\.$/,
    );
    const processed = lines
      .filter((line) => line.startsWith("[work_queue]\t"))
      .map((line) => Number(/Processed +(\d+) items/.exec(line)![1]));
    expect(processed.reduce((a, b) => a + b, 0)).toBe(30);
    expect(lines.find((line) => line.startsWith("[numbers_queue]\t"))).toMatch(
      /^\[numbers_queue\]\tProcessed +\d+ items in +[\d.]+ \[( us| ms|sec)\] \(QPS: +[\d.]+\) Ave wait time: put: .*, get \(by next stage\): .*\. P90: put: .*, get: .*\. P99: put: .*, get: .*\. Occupancy rate: \d+%$/,
    );
    const bad = await runCli(["run", path("quick"), "--stats-interval", "0"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--stats-interval");
  });

  it("--consumer-step-ms MS [--consumer-batch N]: the Readiness line before the Bottleneck line, readiness and cpu in --json", async () => {
    const plain = await runCli(["run", path("quick"), "--consumer-step-ms", "2", "--consumer-batch", "3", "--no-progress"]);
    expect(plain.code, plain.stderr).toBe(0);
    const lines = plain.stdout.trimEnd().split("\n");
    expect(lines.at(-2)).toMatch(/^Readiness: \d+\.\d % \(the consumer waited \d+\.\d % of the time\)$/);
    expect(lines.at(-1)).toMatch(/^Bottleneck: /);
    const json = await runCli(["run", path("quick"), "--consumer-step-ms", "2", "--json"]);
    const report = JSON.parse(json.stdout);
    expect(report.stats.readiness).toBeGreaterThanOrEqual(0);
    expect(report.stats.readiness).toBeLessThanOrEqual(1);
    expect(report.stats.cpu).toBeGreaterThan(0);
    expect(report.settings.overrides).toContain("out.consumer=2 ms per 1");
    const without = await runCli(["run", path("quick"), "--json"]);
    expect(JSON.parse(without.stdout).stats.readiness).toBeNull();
    expect(without.stdout).not.toContain("Readiness:");
    const batchAlone = await runCli(["run", path("quick"), "--consumer-batch", "4"]);
    expect(batchAlone.code).toBe(2);
    expect(batchAlone.stderr).toContain("--consumer-batch needs --consumer-step-ms");
  });

  it("--threads and --set change the settings the pipeline runs with", async () => {
    const args = [
      "--threads",
      "3",
      "--set",
      "work.concurrency=6",
      "--set",
      "work.outputOrder=input",
      "--set",
      "out.queueSize=5",
      "--set",
      "build.maxFailures=3",
      "--set",
      "work.timeoutMs=5000",
    ];
    const { code, stdout, stderr } = await runCli(["run", path("quick"), ...args, "--json"]);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.settings.numThreads).toBe(3);
    expect(report.settings.maxFailures).toBe(3);
    expect(report.settings.overrides).toEqual([
      "build.numThreads=3",
      "work.concurrency=6",
      "work.outputOrder=input",
      "out.queueSize=5",
      "build.maxFailures=3",
      "work.timeoutMs=5000",
    ]);
    const workSettings = report.settings.nodes.find((node: { id: string }) => node.id === "work");
    expect(workSettings).toMatchObject({ concurrency: 6, outputOrder: "input", timeoutMs: 5000 });
    // What the engine actually ran with, not only what the CLI says it asked for.
    expect(report.stats.stages.find((stage: { name: string }) => stage.name === "work").concurrency).toBe(6);
    expect(report.stats.queues.find((queue: { to: string }) => queue.to === "sink").capacity).toBe(5);
  });

  it("a --set that names no node or field, or has a bad value, exits 2 and says which --set", async () => {
    // Every kind of mistake once; overrides.test.ts goes through the messages in detail.
    const cases: [string[], RegExp][] = [
      [["--set", "nope.concurrency=2"], /--set nope\.concurrency=2: no node has id "nope" \(nodes: numbers, work, out/],
      [
        ["--set", "work.concurency=2"],
        /--set work\.concurency=2: unknown field "concurency" \(fields --set can change: concurrency, queueSize/,
      ],
      [["--set", "work"], /option '--set <node\.field=value>' argument 'work' is invalid\. expected <node>\.<field>=<value>/],
      [["--set", "work.concurrency=lots"], /--set work\.concurrency=lots: "lots" is not a number/],
      [["--set", "work.concurrency=0"], /--set work\.concurrency=0: must be an integer ≥ 1, got 0/],
      [["--threads", "two"], /option '--threads <n>' argument 'two' is invalid\. Expected an integer ≥ 1\./],
      [["--threads", "129"], /option '--threads <n>' argument '129' is invalid\. Expected an integer from 1 to 128\./],
      [["--set", "work.queueSize=2147483648"], /--set work\.queueSize=2147483648: must be at most 100000, got 2147483648/],
      [["--limit", "0"], /option '--limit <n>' argument '0' is invalid\. Expected an integer ≥ 1\./],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(["run", path("quick"), ...args, "--json"])));
    results.forEach(({ code, stdout, stderr }, index) => {
      expect(code, `${cases[index][0].join(" ")}: ${stderr}`).toBe(2);
      expect(stderr).toMatch(cases[index][1]);
      expect(stdout).toBe("");
    });
  });

  it("a file that cannot run exits 1 with one problem per line, each at its JSON path", async () => {
    const [invalid, structural, badJson, missing] = await Promise.all([
      runCli(["run", path("invalid")]),
      runCli(["run", path("structural")]),
      runCli(["run", "bad-json.pipeline.json"]),
      runCli(["run", "no-such.pipeline.json"]),
    ]);
    for (const result of [invalid, structural, badJson, missing]) {
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      for (const line of result.stderr.trimEnd().split("\n")) expect(line).toMatch(/^(\$|[a-z]+(\[\d+\])?(\.[A-Za-z]+(\[\d+\])?)*): \S/);
    }
    expect(invalid.stderr).toContain("nodes[0].params.count: must be an integer ≥ 0, got -1\n");
    expect(invalid.stderr).toContain('nodes[1].op: unknown op "slep"; did you mean "sleep"?');
    expect(invalid.stderr).toContain('nodes[1]: "work" has no output');
    expect(structural.stderr).toContain("nodes[0].concurrency: must be an integer ≥ 1, got 0\n");
    expect(badJson.stderr).toMatch(/^\$: not valid JSON at line 1, column \d+/);
    expect(missing.stderr).toMatch(/^\$: cannot read .*no-such\.pipeline\.json: no such file\n$/);
  });

  it("with --json, a file that cannot run still gives one document: outcome invalid and the problems", async () => {
    const { code, stdout, stderr } = await runCli(["run", path("invalid"), "--json"]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.outcome).toBe("invalid");
    expect(report.stats).toBeNull();
    expect(report.problems).toContainEqual({ path: "nodes[0].params.count", message: "must be an integer ≥ 0, got -1" });
    expect(stderr.trimEnd().split("\n")).toHaveLength(report.problems.length);
  });

  it("a failed run names the failing stage on stderr, still prints the table, exits 1", async () => {
    const [plain, json] = await Promise.all([runCli(["run", path("failing")]), runCli(["run", path("failing"), "--json"])]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^error: Stage 'slow' failed 1 times .*StageTimeoutError/m);
    expect(plain.stderr).toMatch(/^ {2}slow: StageTimeoutError: Stage 'slow' call took longer than 20 ms \(item 0\)$/m);
    expect(row(plain.stdout, "slow")[5]).toBe("1");
    expect(plain.stdout).toMatch(/^total: 0 items delivered in .*, 1 failure — failed$/m);

    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.outcome).toBe("failed");
    expect(report.error).toMatchObject({ name: "PipelineError", stage: "slow", scope: "stage", failures: 1, calls: 1, maxFailures: 0 });
    expect(report.error.causes[0]).toMatchObject({ stage: "slow", error: { name: "StageTimeoutError" }, item: "0" });
    expect(report.stats.state).toBe("failed");
  });

  // The next three mostly wait on sleeping ops: side by side they cost the time of the longest.
  it.concurrent("Ctrl-C stops the pipeline cleanly, prints the table and exits 130", async ({ expect }) => {
    let interrupted = false;
    const { code, stdout, stderr } = await runCli(["run", path("long")], {
      onStderr: (text, child) => {
        if (!interrupted && text.includes("progress:")) {
          interrupted = true;
          child.kill("SIGINT");
        }
      },
    });
    expect(interrupted).toBe(true);
    expect(code, stderr).toBe(130);
    expect(stderr).toContain("Stopping… (press Ctrl-C again to quit at once)");
    const delivered = Number(/^total: (\d+) items delivered .* — stopped$/m.exec(stdout)?.[1]);
    expect(delivered).toBeGreaterThan(0);
    expect(delivered).toBeLessThan(1_000_000);
    expect(row(stdout, "work")[1]).toBe("loop");
  });

  it.concurrent(
    "SIGTERM does what Ctrl-C does: the table, the --json document and the --report file, then exit 143",
    async ({ expect }) => {
      const terminateOnProgress: SpawnOptions = {
        onStderr: (text, child) => {
          if (text.includes("progress:") && !child.killed) child.kill("SIGTERM");
        },
      };
      const report = join(folder, "terminated.run.json");
      const [plain, json] = await Promise.all([
        runCli(["run", path("long")], terminateOnProgress),
        runCli(["run", path("long"), "--json", "--report", report], terminateOnProgress),
      ]);
      expect(plain.code, plain.stderr).toBe(143);
      expect(plain.stderr).toContain("Stopping on SIGTERM… (a second signal quits at once)");
      expect(plain.stdout).toMatch(/^total: \d+ items delivered .* — stopped$/m);
      expect(row(plain.stdout, "work")[1]).toBe("loop");
      expect(json.code, json.stderr).toBe(143);
      expect(JSON.parse(json.stdout)).toMatchObject({ outcome: "stopped", reportFile: report, stats: { state: "stopped" } });
      expect(JSON.parse(await readFile(report, "utf8"))).toMatchObject({ outcome: "stopped" });
    },
  );

  it.concurrent("without a TTY, progress is plain lines on stderr, at most one a second, and stdout stays clean", async ({ expect }) => {
    const { code, stdout, stderr } = await runCli(["run", path("paced"), "--json"]);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout);
    const lines = stderr.trimEnd().split("\n");
    expect(stderr).not.toContain("\x1b[");
    for (const line of lines) {
      expect(line).toMatch(
        /^progress: \d+ items delivered, [\d.]+ items\/s, \d+\.\d s elapsed \| work [01]\/1 in flight, queue [0-2]\/2 \| sink queue [0-3]\/3$/,
      );
    }
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBeLessThanOrEqual(Math.floor(report.elapsedMs / 1000) + 1);
  });

  it.concurrent("--no-progress keeps stderr quiet", async ({ expect }) => {
    const { code, stderr } = await runCli(["run", path("paced"), "--no-progress", "--limit", "120"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
  });

  it("a pipeline that runs user code says so on stderr before it runs, without asking", async () => {
    const { code, stdout, stderr } = await runCli(["run", path("userCode"), "--json"]);
    expect(code, stderr).toBe(0);
    expect(stderr.split("\n")[0]).toBe(`This pipeline runs code from ${join(folder, "double.mjs")}`);
    const report = JSON.parse(stdout);
    expect(report.userCode).toEqual([join(folder, "double.mjs")]);
    expect(report.itemsDelivered).toBe(10);
  });
});

describe("validate", () => {
  it("a runnable file: one line on stdout, exit 0", async () => {
    const { code, stdout, stderr } = await runCli(["validate", "quick.pipeline.json"]);
    expect(code).toBe(0);
    expect(stdout).toBe("quick.pipeline.json: valid (3 nodes, 2 edges)\n");
    expect(stderr).toBe("");
  });

  it("a file with problems: every problem on stderr at its JSON path, exit 1", async () => {
    const { code, stdout, stderr } = await runCli(["validate", path("invalid")]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    // The engine's order: the graph's shape first, then ops and their params.
    expect(stderr.trimEnd().split("\n")).toEqual([
      'nodes[1]: "work" has no output; connect it to the next stage or the sink',
      'nodes[2]: "out" has no input; connect a source or a stage to it',
      "nodes[0].params.count: must be an integer ≥ 0, got -1",
      expect.stringMatching(/^nodes\[1\]\.op: unknown op "slep"; did you mean "sleep"\?/),
    ]);
  });

  it("--json: {valid, problems} on stdout for valid and invalid files; JSON syntax errors at $", async () => {
    const [valid, invalid, badJson] = await Promise.all([
      runCli(["validate", path("quick"), "--json"]),
      runCli(["validate", path("invalid"), "--json"]),
      runCli(["validate", "bad-json.pipeline.json", "--json"]),
    ]);
    expect(valid.code).toBe(0);
    expect(JSON.parse(valid.stdout)).toMatchObject({ valid: true, problems: [] });
    expect(invalid.code).toBe(1);
    const report = JSON.parse(invalid.stdout);
    expect(report.valid).toBe(false);
    expect(report.problems).toHaveLength(4);
    for (const problem of report.problems) expect(Object.keys(problem).sort()).toEqual(["message", "path"]);
    expect(badJson.code).toBe(1);
    const syntax = JSON.parse(badJson.stdout);
    expect(syntax.valid).toBe(false);
    expect(syntax.problems).toEqual([{ path: "$", message: expect.stringMatching(/^not valid JSON at line 1/) }]);
  });
});

describe("files that are not pipeline files", () => {
  it("a named pipe, a device or a file over 16 MiB: exit 1 at once, naming the path and why", async () => {
    const [pipe, device, big] = await Promise.all([
      runCli(["validate", "pipe.pipeline.json"]),
      runCli(["run", "/dev/zero"]),
      runCli(["export", "big.pipeline.json", "--to", "ts"]),
    ]);
    expect([pipe.code, device.code, big.code]).toEqual([1, 1, 1]);
    expect(pipe.stderr).toBe(`$: cannot read ${join(folder, "pipe.pipeline.json")}: not a regular file (a named pipe)\n`);
    expect(device.stderr).toBe("$: cannot read /dev/zero: not a regular file (a character device)\n");
    expect(big.stderr).toBe(`$: cannot read ${join(folder, "big.pipeline.json")}: it is 17 MiB, over the 16 MiB limit\n`);
  });

  it("a file that is not JSON is reported by line and column, by every command, quoting none of it", async () => {
    const results = await Promise.all([
      runCli(["validate", "shadow"]),
      runCli(["validate", "shadow", "--json"]),
      runCli(["compare", "shadow", "shadow"]),
    ]);
    for (const { code, stdout, stderr } of results) {
      expect(code).toBe(1);
      expect(stdout + stderr).toContain("not valid JSON at line 1, column 1");
      expect(stdout + stderr).not.toContain("root:");
      expect(stdout + stderr).not.toContain("s3cr3t");
    }
  });
});

describe("export", () => {
  it("writes the program to stdout, or with -o to a file with the same text", async () => {
    const [ts, python] = await Promise.all([
      runCli(["export", path("quick"), "--to", "ts"]),
      runCli(["export", path("quick"), "--to", "python"]),
    ]);
    expect(ts.code, ts.stderr).toBe(0);
    expect(ts.stdout).toContain("pipeline-studio/engine");
    expect(python.code, python.stderr).toBe(0);
    expect(python.stdout).toContain("spdl");
    const written = await runCli(["export", path("quick"), "--to", "python", "-o", "quick.py"]);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toBe("");
    expect(written.stderr).toBe(`Wrote ${join(folder, "quick.py")}\n`);
    expect(await readFile(join(folder, "quick.py"), "utf8")).toBe(python.stdout);
  });

  it("-o keeps an existing file's permissions, and refuses a read-only one with a message, leaving it alone", async () => {
    const [kept, locked] = [join(folder, "kept.py"), join(folder, "locked.py")];
    await writeFile(kept, "# old\n", { mode: 0o600 });
    await writeFile(locked, "# read-only\n", { mode: 0o444 });
    const [written, refused] = await Promise.all([
      runCli(["export", path("quick"), "--to", "python", "-o", kept]),
      runCli(["export", path("quick"), "--to", "python", "-o", locked]),
    ]);
    expect(written.code, written.stderr).toBe(0);
    expect(statSync(kept).mode & 0o777).toBe(0o600);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`error: ${locked} is read-only; it was not replaced (make it writable, or save under another name)\n`);
    expect(await readFile(locked, "utf8")).toBe("# read-only\n");
  });

  it("refuses a file that cannot run: its problems on stderr, exit 1", async () => {
    const { code, stdout, stderr } = await runCli(["export", path("invalid"), "--to", "python"]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("nodes[0].params.count: must be an integer ≥ 0, got -1");
  });
});

describe("ops", () => {
  it("lists the catalog as a table, and as JSON with --json", async () => {
    const [table, json] = await Promise.all([runCli(["ops"]), runCli(["ops", "--json"])]);
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0].split(/\s{2,}/)).toEqual(["name", "kind", "execution", "description"]);
    expect(table.stdout).toMatch(/^range\s+source\s+loop\s+Yields the integers/m);
    expect(table.stdout).toMatch(/^sleep\s+stage\s+loop\s+Waits ms/m);
    expect(json.code).toBe(0);
    const ops = JSON.parse(json.stdout) as { name: string; kind: string; execution: string; description: string }[];
    expect(ops.map((op) => op.name)).toEqual(expect.arrayContaining(["range", "list", "sleep"]));
    expect(ops.find((op) => op.name === "list")).toMatchObject({ kind: "source", execution: "loop" });
  });
});

describe("usage", () => {
  it("usage errors exit 2 with a message on stderr and nothing on stdout", async () => {
    const cases: [string[], RegExp][] = [
      [[], /^Usage: pipeline-studio/],
      [["frob"], /error: unknown command 'frob'/],
      [["run"], /error: missing required argument 'file'/],
      [["run", "quick.pipeline.json", "--bogus"], /error: unknown option '--bogus'/],
      [["run", "a.json", "b.json"], /error: too many arguments for 'run'/],
      [["validate", "quick.pipeline.json", "--fast"], /error: unknown option '--fast'/],
      [["export", "quick.pipeline.json"], /error: required option '--to <language>' not specified/],
      [["export", "quick.pipeline.json", "--to", "java"], /argument 'java' is invalid\. Allowed choices are ts, python\./],
      [["ops", "--verbose"], /error: unknown option '--verbose'/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args)));
    results.forEach(({ code, stdout, stderr }, index) => {
      expect(code, cases[index][0].join(" ")).toBe(2);
      expect(stderr).toMatch(cases[index][1]);
      expect(stdout).toBe("");
    });
  });

  it("--help works for the program and every command, on stdout, exit 0", async () => {
    const cases: [string[], string[]][] = [
      [
        ["--help"],
        [
          "Usage: pipeline-studio [options] [command]",
          "run [options] <file>",
          "validate [options] <file>",
          "export [options] <file>",
          "ops [options]",
        ],
      ],
      [
        ["run", "--help"],
        [
          "Usage: pipeline-studio run [options] <file>",
          "--threads <n>",
          "--set <node.field=value>",
          "--limit <n>",
          "--json",
          "--report [path]",
          "Exit codes:",
        ],
      ],
      [
        ["validate", "--help"],
        ["Usage: pipeline-studio validate [options] <file>", "--json"],
      ],
      [
        ["export", "--help"],
        ["Usage: pipeline-studio export [options] <file>", "--to <language>", "-o, --out <path>"],
      ],
      [
        ["ops", "--help"],
        ["Usage: pipeline-studio ops [options]", "--json"],
      ],
      [
        ["compare", "--help"],
        ["Usage: pipeline-studio compare [options] <a> <b>", "--json"],
      ],
      [["help", "run"], ["Usage: pipeline-studio run [options] <file>"]],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args)));
    results.forEach(({ code, stdout, stderr }, index) => {
      expect(code, cases[index][0].join(" ")).toBe(0);
      for (const text of cases[index][1]) expect(stdout).toContain(text);
      expect(stderr).toBe("");
    });
  });
});

describe("run --report and compare", () => {
  const runsFolder = () => join(folder, "quick.runs");
  /** A comparison row's cells (rows sit indented under their section). */
  const comparisonRow = (table: string, label: string): string[] => row(table.replace(/^ {2}/gm, ""), label);
  const reportIn = (stderr: string): string => {
    const match = /^Run report: (.+)$/m.exec(stderr);
    if (!match) throw new Error(`no "Run report:" line in:\n${stderr}`);
    return match[1];
  };

  it("--report with no path saves the report in the runs folder beside the pipeline file and says where on stderr", async () => {
    const { code, stdout, stderr } = await runCli(["run", path("quick"), "--report"]);
    expect(code, stderr).toBe(0);
    const written = reportIn(stderr);
    expect(written).toMatch(new RegExp(`^${runsFolder()}/\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}\\.\\d{3}Z-completed\\.run\\.json$`));
    expect(stdout).not.toContain("Run report");
    const report = JSON.parse(await readFile(written, "utf8"));
    expect(report).toMatchObject({
      format: "pipeline-studio-run/1",
      pipeline: { file: path("quick") },
      outcome: "completed",
      figures: { itemsDelivered: 30, failures: 0 },
    });
    expect(report.settings.nodes[0]).toMatchObject({ id: "work", concurrency: 4 });
    expect(report.bottleneck.line).toMatch(/^Bottleneck: /);
  });

  it("--report PATH with --json: the path is in the one JSON document, the report in the file (its permissions kept)", async () => {
    const target = join(folder, "slow.run.json");
    await writeFile(target, "{}", { mode: 0o600 });
    const { code, stdout, stderr } = await runCli(["run", path("quick"), "--set", "work.concurrency=1", "--report", target, "--json"]);
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout).reportFile).toBe(target);
    expect(reportIn(stderr)).toBe(target);
    const report = JSON.parse(await readFile(target, "utf8"));
    expect(report.settings.overrides).toEqual(["work.concurrency=1"]);
    expect(report.settings.nodes[0]).toMatchObject({ id: "work", concurrency: 1 });
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  it("a failed run's report says so and names the stage; a report that cannot be written fails the run", async () => {
    const failed = await runCli(["run", path("failing"), "--report", join(folder, "failed.run.json")]);
    expect(failed.code).toBe(1);
    expect(JSON.parse(await readFile(join(folder, "failed.run.json"), "utf8"))).toMatchObject({
      outcome: "failed",
      error: { stage: "slow" },
    });
    const blocked = await runCli(["run", path("quick"), "--report", join(path("quick"), "inside-a-file.run.json")]);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toMatch(/^error: cannot write the run report: /m);
  });

  it("compare prints both runs side by side, a → b, with changes and the changed setting marked", async () => {
    const fast = join(folder, "fast.run.json");
    const slow = join(folder, "slow.run.json");
    await runCli(["run", path("quick"), "--report", fast]);
    await runCli(["run", path("quick"), "--set", "work.concurrency=1", "--report", slow]);
    const { code, stdout, stderr } = await runCli(["compare", fast, slow]);
    expect(code, stderr).toBe(0);
    const lines = stdout.split("\n");
    expect(lines[0]).toMatch(/^a: quick, started \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC, completed — 4 threads · work ×4$/);
    expect(lines[1]).toMatch(/^b: quick, .* — 4 threads · work ×1$/);
    // One call at a time instead of four: fewer items/s.
    expect(comparisonRow(stdout, "items/s")).toEqual([
      "items/s",
      expect.stringMatching(/^\d/),
      expect.stringMatching(/^\d/),
      expect.stringMatching(/^−\d+(\.\d)?%$/),
      "worse",
    ]);
    expect(comparisonRow(stdout, "work.concurrency")).toEqual(["work.concurrency", "4", "1", "−75%", "← changed"]);
    expect(comparisonRow(stdout, "work.queueSize")).toEqual(["work.queueSize", "2", "2"]);
    expect(stdout).toMatch(/^ {2}work latency p90 ms +[\d.]+ +[\d.]+/m);
    expect(stdout).toMatch(/^ {2}work utilisation +\d+% +\d+%/m);

    const json = await runCli(["compare", fast, slow, "--json"]);
    expect(json.code).toBe(0);
    const document = JSON.parse(json.stdout);
    expect(document.a.report.settings.nodes[0].concurrency).toBe(4);
    expect(document.rows.find((entry: { label: string }) => entry.label === "items/s")).toMatchObject({ better: "a" });
  });

  it("compare refuses a file that is not a run report (exit 1, what is wrong on stderr) and needs two files (exit 2)", async () => {
    const { code, stdout, stderr } = await runCli(["compare", path("quick"), join(folder, "missing.run.json")]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain(`error: ${path("quick")}: not a readable run report: format: `);
    expect(stderr).toContain(`error: ${join(folder, "missing.run.json")}: not a readable run report: no such file`);
    const usage = await runCli(["compare", path("quick")]);
    expect(usage.code).toBe(2);
  });
});

describe("hostile files", () => {
  it("validate and run list every problem at once: a bad concurrency, an unknown op and a bad param", async () => {
    const mixed = join(folder, "mixed.pipeline.json");
    await writeFile(mixed, pipelineFile([source(-1), { id: "work", kind: "stage", op: "slep", concurrency: 0 }, sink]));
    const expected = [
      { path: "nodes[1].concurrency", message: "must be an integer ≥ 1, got 0" },
      { path: "nodes[0].params.count", message: "must be an integer ≥ 0, got -1" },
      { path: "nodes[1].op", message: expect.stringMatching(/^unknown op "slep"; did you mean "sleep"\?/) },
    ];
    const [validate, run] = await Promise.all([runCli(["validate", mixed, "--json"]), runCli(["run", mixed, "--json", "--no-progress"])]);
    for (const { code, stdout, stderr } of [validate, run]) {
      expect(code, stderr).toBe(1);
      expect(JSON.parse(stdout).problems).toEqual(expected);
      expect(stderr.trim().split("\n")).toHaveLength(3);
    }
  });

  it("what run refuses, validate reports first, at the param's path: a missing files folder", async () => {
    const noFolder = join(folder, "no-folder.pipeline.json");
    await writeFile(noFolder, pipelineFile([{ id: "list", kind: "source", op: "files", params: { folder: "no-such-folder" } }, sink]));
    const expected = [{ path: "nodes[0].params.folder", message: `the folder ${join(folder, "no-such-folder")} does not exist` }];
    const [validate, run] = await Promise.all([
      runCli(["validate", noFolder, "--json"]),
      runCli(["run", noFolder, "--json", "--no-progress"]),
    ]);
    for (const { code, stdout, stderr } of [validate, run]) {
      expect(code, stderr).toBe(1);
      expect(JSON.parse(stdout).problems).toEqual(expected);
    }
  });

  it("a value nested 6000 levels: validate and run --json each print one document naming where", async () => {
    const deep = join(folder, "deep.pipeline.json");
    await writeFile(
      deep,
      pipelineFile([source(3), work(1, 1, { params: { ms: 1, extra: "DEEP" } }), sink]).replace(
        '"DEEP"',
        `${"[".repeat(6000)}${"]".repeat(6000)}`,
      ),
    );
    const results = await Promise.all([runCli(["validate", deep, "--json"]), runCli(["run", deep, "--json", "--no-progress"])]);
    for (const { code, stdout, stderr } of results) {
      expect(code, stderr).toBe(1);
      expect(JSON.parse(stdout).problems).toEqual([
        { path: "nodes[1].params.extra", message: expect.stringMatching(/^nested more than 1000 levels/) },
      ]);
    }
  });
});
