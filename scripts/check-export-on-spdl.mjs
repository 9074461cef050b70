#!/usr/bin/env node
/**
 * Runs the Python (SPDL) export of every example, and of the files in scripts/spdl-check/ (the
 * failure budget, repeating sources), on SPDL itself, and compares each with `pipeline-studio run`
 * of the same file: the same outcome (completed, or failed), and for a completed run the same
 * number of items delivered. A failed run's count is shown, not compared: where a stage fails
 * depends on how the two engines interleave calls.
 *
 *   node scripts/check-export-on-spdl.mjs <SPDL source>      (its repository root, or its src/ folder)
 *
 * Remote stages run on two local workers (`run --local-workers 2`, which needs redis-server), as
 * the exported program runs them in its own process: SPDL has no remote executor.
 *
 * Needs the built CLI (`npm run build`) and python3 (3.11 or later). SPDL's pipeline package is
 * pure Python: it runs from its source tree, nothing is installed. CI cannot fetch SPDL, so this
 * is run by hand; it exits 1 when any file differs.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = join(ROOT, "dist", "host", "cli", "main.js");
/** Files whose source repeats run until this many items (`run --limit`, the program's first argument). */
const LIMITS = { "continuous-limit": 50, "continuous-budget": 1000 };
const TIME_LIMIT_MS = 300_000;

const given = process.argv[2];
if (!given) {
  console.error("usage: node scripts/check-export-on-spdl.mjs <SPDL source: its repository root or its src/ folder>");
  process.exit(2);
}
const spdlSrc = [join(given, "src"), given].find((candidate) => existsSync(join(candidate, "spdl", "pipeline", "__init__.py")));
if (!spdlSrc) {
  console.error(`${given}: no spdl/pipeline package there (nor under src/)`);
  process.exit(2);
}
if (!existsSync(CLI)) {
  console.error(`${CLI} is missing: run npm run build first`);
  process.exit(2);
}

const files = [
  ...readdirSync(join(ROOT, "examples")).map((name) => join(ROOT, "examples", name)),
  ...readdirSync(join(ROOT, "scripts", "spdl-check")).map((name) => join(ROOT, "scripts", "spdl-check", name)),
]
  .filter((path) => path.endsWith(".pipeline.json"))
  .sort();

const scratch = mkdtempSync(join(tmpdir(), "spdl-check-"));
const env = { ...process.env, PIPELINE_STUDIO_HOME: scratch };

async function outcomeOf(command, args, options) {
  try {
    const { stdout, stderr } = await run(command, args, {
      ...options,
      env: { ...env, ...options.env },
      timeout: TIME_LIMIT_MS,
      maxBuffer: 64 << 20,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    return { code: error.code ?? 1, stdout: error.stdout ?? "", stderr: error.stderr ?? String(error) };
  }
}

function hasRemoteStage(file) {
  return (JSON.parse(readFileSync(file, "utf8")).nodes ?? []).some((node) => node.runOn === "remote");
}

async function studio(file, limit) {
  const { code, stdout, stderr } = await outcomeOf(
    process.execPath,
    [CLI, "run", file, "--json", ...(limit ? ["--limit", String(limit)] : []), ...(hasRemoteStage(file) ? ["--local-workers", "2"] : [])],
    {},
  );
  try {
    const report = JSON.parse(stdout);
    // A run stopped at --limit delivered what was asked: it completed, as the program that stops at the limit does.
    const outcome = ["stopped", "limit"].includes(report.outcome) && limit ? "completed" : report.outcome;
    return { outcome, delivered: report.itemsDelivered, detail: report.error?.message ?? "" };
  } catch {
    return { outcome: `error (exit ${code})`, delivered: null, detail: stderr.trim().split("\n").at(-1) ?? "" };
  }
}

async function spdl(file, limit) {
  const program = join(scratch, `${basename(file, ".pipeline.json").replace(/[^A-Za-z0-9_]/g, "_")}.py`);
  const exported = await outcomeOf(process.execPath, [CLI, "export", file, "--to", "python", "-o", program], {});
  if (exported.code !== 0) return { outcome: "export failed", delivered: null, detail: exported.stderr.trim() };
  const { code, stdout, stderr } = await outcomeOf("python3", [program, ...(limit ? [String(limit)] : [])], {
    cwd: scratch,
    env: { PYTHONPATH: spdlSrc },
  });
  const delivered = /Delivered (\d+) items/.exec(stdout);
  const lastError =
    stderr
      .trim()
      .split("\n")
      .filter((line) => /Error|Exception|exceeds/.test(line))
      .at(-1) ?? "";
  return { outcome: code === 0 ? "completed" : "failed", delivered: delivered ? Number(delivered[1]) : null, detail: lastError.trim() };
}

const commit = await outcomeOf("git", ["-C", given, "rev-parse", "HEAD"], {});
console.log(`SPDL: ${spdlSrc}${commit.code === 0 ? ` (commit ${commit.stdout.trim()})` : ""}`);
console.log(`${"file".padEnd(34)} ${"pipeline-studio run".padEnd(22)} ${"SPDL".padEnd(22)} verdict`);
let differing = 0;
for (const file of files) {
  const name = basename(file, ".pipeline.json");
  const limit = LIMITS[name];
  const [ours, theirs] = await Promise.all([studio(file, limit), spdl(file, limit)]);
  const same = ours.outcome === theirs.outcome && (ours.outcome !== "completed" || ours.delivered === theirs.delivered);
  if (!same) differing++;
  const show = (result) => `${result.outcome}, ${result.delivered ?? "?"} items`;
  console.log(
    `${(name + (limit ? ` (limit ${limit})` : "")).padEnd(34)} ${show(ours).padEnd(22)} ${show(theirs).padEnd(22)} ${same ? "same" : "DIFFERENT"}`,
  );
  if (!same || ours.outcome !== "completed") {
    if (ours.detail) console.log(`    pipeline-studio: ${ours.detail.slice(0, 220)}`);
    if (theirs.detail) console.log(`    SPDL:            ${theirs.detail.slice(0, 220)}`);
  }
}
rmSync(scratch, { recursive: true, force: true });
console.log(differing === 0 ? `All ${files.length} files: the same outcome in both.` : `${differing} of ${files.length} files differ.`);
process.exit(differing === 0 ? 0 : 1);
