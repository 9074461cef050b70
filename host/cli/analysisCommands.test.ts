import type { ChildProcess } from "node:child_process";
import { chmod, lstat, mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnCli } from "./testing/spawnCli.js";
import type { ProfileReport } from "./profileCommand.js";
import type { TuneReport } from "./tuneCommand.js";

/** `profile` and `tune`, spawned as a user would run them, on pipeline files in a temp folder. */

let folder: string;
const run = (args: string[]) => spawnCli(folder, args);

function chain(middle: Record<string, unknown>[], numThreads = 1): string {
  const nodes = [{ id: "numbers", kind: "source", op: "range", params: { count: 40 } }, ...middle, { id: "out", kind: "sink" }];
  const edges = nodes.slice(1).map((node, index) => ({ from: nodes[index].id, to: node.id }));
  return JSON.stringify({ format: "pipeline-studio/1", nodes, edges, build: { numThreads } }, null, 2);
}

const fetchStage = { id: "fetch", kind: "stage", op: "sleep", params: { ms: 10 }, concurrency: 1 };

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "pipeline-analysis-cli-"));
  await writeFile(join(folder, "slow.pipeline.json"), chain([fetchStage]));
  await writeFile(join(folder, "broken.pipeline.json"), chain([{ id: "fetch", kind: "stage", op: "sleeep" }]));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe("pipeline-studio profile", () => {
  it("prints a table per stage with where more concurrency stops helping", async () => {
    const result = await run(["profile", "slow.pipeline.json", "--max-concurrency", "4", "--step-ms", "300"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Profile of slow\.pipeline\.json: 300 ms per level/);
    expect(result.stdout).toContain("fetch (sleep, event loop; the file says concurrency 1; 40 sample inputs)");
    expect(result.stdout).toMatch(/ {11}4 {8} +\d+(\.\d)? +\d+\.\d/);
    expect(result.stdout).toContain("→ still rising at concurrency 4");
    expect(result.stderr).toContain("fetch at concurrency 2:");
  });

  it("--json prints one document with every level", async () => {
    const result = await run(["profile", "slow.pipeline.json", "--max-concurrency", "2", "--step-ms", "200", "--json", "--no-progress"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const report = JSON.parse(result.stdout) as ProfileReport;
    expect(report.outcome).toBe("profiled");
    expect(report.profile!.stages[0].levels.map((level) => level.concurrency)).toEqual([1, 2]);
    expect(report.profile!.stages[0].levels[1].itemsPerSecond).toBeGreaterThan(report.profile!.stages[0].levels[0].itemsPerSecond);
  });

  it("reports a file that cannot run, and a bad option, with their exit codes", async () => {
    const invalid = await run(["profile", "broken.pipeline.json", "--json"]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('nodes[1].op: unknown op "sleeep"; did you mean "sleep"');
    expect(JSON.parse(invalid.stdout)).toMatchObject({ outcome: "invalid", profile: null });
    const usage = await run(["profile", "slow.pipeline.json", "--step-ms", "5"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Expected an integer ≥ 100.");
    const unknownStage = await run(["profile", "slow.pipeline.json", "--stage", "nope"]);
    expect(unknownStage.code).toBe(1);
    expect(unknownStage.stderr).toContain("profile: no stage named 'nope' in the pipeline");
  });
});

describe("pipeline-studio tune", () => {
  it("prints the settings found and the verdict, and leaves the file alone without --write", async () => {
    const before = await readFile(join(folder, "slow.pipeline.json"), "utf8");
    const result = await run(["tune", "slow.pipeline.json", "--budget-threads", "1", "--max-concurrency", "4", "--time-limit", "15"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("fetch.concurrency  1 → 4");
    expect(result.stdout).toMatch(/after +\d+(\.\d)? items\/s +\((\d+(\.\d+)?)×\)/);
    expect(result.stdout).toMatch(/\nBottleneck: (none|fetch — .+)\n$/);
    expect(result.stderr).toContain("try fetch concurrency 1 → 2");
    expect(result.stderr).toContain("add --write to save these settings");
    expect(await readFile(join(folder, "slow.pipeline.json"), "utf8")).toBe(before);
  });

  it("--write saves the settings, through a symlink, keeping the file's permissions; --json prints one document", async () => {
    await writeFile(join(folder, "write.pipeline.json"), chain([fetchStage]));
    await chmod(join(folder, "write.pipeline.json"), 0o600);
    await symlink("write.pipeline.json", join(folder, "linked.pipeline.json"));
    const result = await run([
      "tune",
      "linked.pipeline.json",
      "--budget-threads",
      "1",
      "--max-concurrency",
      "2",
      "--write",
      "--json",
      "--no-progress",
    ]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as TuneReport;
    expect(report).toMatchObject({ outcome: "tuned", budgetThreads: 1, written: join(folder, "linked.pipeline.json") });
    expect((await lstat(join(folder, "linked.pipeline.json"))).isSymbolicLink()).toBe(true);
    expect((await stat(join(folder, "write.pipeline.json"))).mode & 0o777).toBe(0o600);
    expect(report.after!.settings.concurrency.fetch).toBe(2);
    expect(report.after!.deliveredPerSecond).toBeGreaterThan(report.before!.deliveredPerSecond);
    expect(report.bottleneck!.line).toMatch(/^Bottleneck: /);
    const saved = JSON.parse(await readFile(join(folder, "write.pipeline.json"), "utf8")) as {
      nodes: { id: string; concurrency: number }[];
    };
    expect(saved.nodes.find((node) => node.id === "fetch")!.concurrency).toBe(2);
  });

  it("Ctrl-C stops the search: exit 130, the file unchanged", async () => {
    const before = await readFile(join(folder, "slow.pipeline.json"), "utf8");
    let interrupted = false;
    const result = await spawnCli(folder, ["tune", "slow.pipeline.json", "--budget-threads", "1", "--write"], {
      onStderr: (stderr, child) => {
        if (!interrupted && stderr.includes("the file's settings:")) {
          interrupted = true;
          child.kill("SIGINT");
        }
      },
    });
    expect(result.code).toBe(130);
    expect(result.stderr).toContain("error: tuning stopped before it finished; the file is unchanged");
    expect(await readFile(join(folder, "slow.pipeline.json"), "utf8")).toBe(before);
  });

  it("SIGTERM stops profile and tune as Ctrl-C does: one --json document saying stopped, exit 143, the file unchanged", async () => {
    const before = await readFile(join(folder, "slow.pipeline.json"), "utf8");
    const terminateOn = (line: string) => ({
      onStderr: (stderr: string, child: ChildProcess) => {
        if (stderr.includes(line) && !child.killed) child.kill("SIGTERM");
      },
    });
    const [profile, tune] = await Promise.all([
      spawnCli(folder, ["profile", "slow.pipeline.json", "--step-ms", "200", "--json"], terminateOn("at concurrency 1:")),
      spawnCli(folder, ["tune", "slow.pipeline.json", "--budget-threads", "1", "--write", "--json"], terminateOn("the file's settings:")),
    ]);
    for (const result of [profile, tune]) {
      expect(result.code, result.stderr).toBe(143);
      expect(result.stderr).toContain("Stopping on SIGTERM… (a second signal quits at once)");
      expect(JSON.parse(result.stdout)).toMatchObject({ outcome: "stopped" });
    }
    expect(await readFile(join(folder, "slow.pipeline.json"), "utf8")).toBe(before);
  });

  it("--readiness with a consumer tunes for readiness: the goal met or not, what it costs; the file keeps no --consumer-step-ms", async () => {
    const before = await readFile(join(folder, "slow.pipeline.json"), "utf8");
    const common = ["tune", "slow.pipeline.json", "--budget-threads", "1", "--max-concurrency", "4", "--time-limit", "10"];
    const goal = ["--consumer-step-ms", "5", "--readiness", "95%", "--cpu-budget", "0.9"];
    const [text, json] = await Promise.all([run([...common, ...goal, "--write"]), run([...common, ...goal, "--json", "--no-progress"])]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^Auto-tune: \d+\.\d s, objective readiness ≥ 95\.0 %, thread budget 1, CPU budget 90\.0 %\n/);
    expect(text.stdout).toMatch(/\n {2}after +\d+(\.\d)? items\/s +\(.+\) {2}readiness \d+\.\d % {2}CPU \d+\.\d %\n/);
    expect(text.stdout).toMatch(
      /\nGoal (met|not met): readiness \d+\.\d % \(target 95\.0 %\).* 1 pool thread, CPU \d+\.\d % of the machine \(budget 90\.0 %\)\n/,
    );
    expect(text.stderr).toMatch(/the file's settings: \d+(\.\d)? items\/s, readiness \d+\.\d %, CPU \d+\.\d %/);
    // --write saves the settings found, never the consumer given on the command line.
    const saved = JSON.parse(await readFile(join(folder, "slow.pipeline.json"), "utf8")) as {
      nodes: { kind: string; consumer?: unknown }[];
    };
    expect(saved.nodes.find((node) => node.kind === "sink")!.consumer ?? null).toBeNull();
    await writeFile(join(folder, "slow.pipeline.json"), before);

    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as TuneReport;
    expect(report.result!.goal).toMatchObject({ objective: "readiness", readinessTarget: 0.95, cpuBudget: 0.9, threads: 1 });
    expect(typeof report.result!.goal.met).toBe("boolean");
    expect(report.result!.goal.summary).toMatch(/^Goal (met|not met): /);
    expect(report.after!.readiness).toBeGreaterThanOrEqual(0);
    expect(report.after!.cpu).toBeGreaterThanOrEqual(0);
    expect(report.result!.trials[0]).toMatchObject({ kind: "baseline", readiness: expect.any(Number), cpu: expect.any(Number) });
  }, 40_000);

  it("refuses a goal it cannot have, naming the flag and what it allows (exit 2, nothing run)", async () => {
    const cases: Array<[string[], string]> = [
      [
        ["--readiness", "1.5"],
        "option '--readiness <share>' argument '1.5' is invalid. Expected a share above 0 and at most 1, as 0.4 or 40%.",
      ],
      [
        ["--cpu-budget", "140%"],
        "option '--cpu-budget <share>' argument '140%' is invalid. Expected a share above 0 and at most 1, as 0.4 or 40%.",
      ],
      [["--objective", "speed"], "option '--objective <name>' argument 'speed' is invalid. Allowed choices are throughput, readiness."],
      [["--objective", "readiness"], "error: --objective readiness needs a consumer at the sink"],
      [["--readiness", "0.9"], "error: --readiness needs a consumer at the sink"],
      [
        ["--objective", "throughput", "--readiness", "0.9", "--consumer-step-ms", "5"],
        "error: --readiness goes with --objective readiness, not throughput",
      ],
    ];
    const results = await Promise.all(cases.map(([flags]) => run(["tune", "slow.pipeline.json", "--budget-threads", "1", ...flags])));
    results.forEach((result, index) => {
      expect(result.code, cases[index][0].join(" ")).toBe(2);
      expect(result.stderr).toContain(cases[index][1]);
      expect(result.stderr).not.toContain("the file's settings:");
    });
  });

  it("rejects a budget of zero as a usage error", async () => {
    const result = await run(["tune", "slow.pipeline.json", "--budget-threads", "0"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Expected an integer ≥ 1.");
  });
});
