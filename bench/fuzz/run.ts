import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seededRandom } from "../../engine/ops/random.js";
import { exampleBases } from "./bases.js";
import { runViolations, validateViolations, type CliResult } from "./cliContract.js";
import { parseFuzzArgs, FUZZ_USAGE, type FuzzArgs } from "./fuzzArgs.js";
import { randomMutant, type Mutant } from "./mutations.js";

/**
 * `npm run fuzz`: mutants of the examples through the built CLI, `validate --json` then `run
 * --json --limit 20`, each checked against the CLI's contract (cliContract.ts). Prints counts;
 * saves each offending file with what it broke; exits 1 if anything broke.
 */

/** After Ctrl-C a run has this long to print its document and leave before it is killed. */
const GRACE_MS = 10_000;

interface Tally {
  files: number;
  runs: number;
  validateExits: Map<string, number>;
  runExits: Map<string, number>;
  failures: number;
}

function spawnCli(cli: string, args: string[], timeLimitMs?: number): Promise<CliResult & { killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "ignore"] });
    let stdout = "";
    let stopped = false;
    let killed = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    const stopTimer = timeLimitMs === undefined ? undefined : setTimeout(() => ((stopped = true), child.kill("SIGINT")), timeLimitMs);
    const killTimer = setTimeout(() => ((killed = true), child.kill("SIGKILL")), (timeLimitMs ?? 0) + GRACE_MS + 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(stopTimer);
      clearTimeout(killTimer);
      resolve({ code, stdout, stopped, killed });
    });
  });
}

async function fuzzOne(args: FuzzArgs, mutant: Mutant, index: number, folder: string, tally: Tally): Promise<string[]> {
  const file = join(folder, `mutant-${index}.pipeline.json`);
  await writeFile(file, mutant.bytes);
  const validate = await spawnCli(args.cli, ["validate", file, "--json"]);
  const run = await spawnCli(args.cli, ["run", file, "--json", "--limit", "20", "--no-progress"], args.timeLimitS * 1000);
  tally.runs += 2;
  count(tally.validateExits, `exit ${String(validate.code)}`);
  count(tally.runExits, run.stopped ? `stopped at the time limit (exit ${String(run.code)})` : `exit ${String(run.code)}`);
  const checked = validateViolations(validate);
  const violations = [
    ...checked.violations.map((text) => `validate: ${text}`),
    ...runViolations(run, checked.document).map((text) => `run: ${text}`),
  ];
  if (validate.killed || run.killed) violations.push("a command did not end and was killed");
  await rm(file, { force: true });
  return violations;
}

function count(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function formatCounts(counts: Map<string, number>): string {
  return [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, n]) => `${key} ×${n}`)
    .join(", ");
}

async function main(argv: string[]): Promise<number> {
  const args = parseFuzzArgs(argv);
  if (args.help) {
    process.stdout.write(`${FUZZ_USAGE}\n`);
    return 0;
  }
  const random = seededRandom(args.seed);
  const bases = await exampleBases();
  const work = await mkdtemp(join(tmpdir(), "pipeline-fuzz-"));
  const out = args.out ?? join(tmpdir(), `pipeline-studio-fuzz-${args.seed}`);
  const tally: Tally = { files: 0, runs: 0, validateExits: new Map(), runExits: new Map(), failures: 0 };
  const started = Date.now();
  process.stderr.write(
    `fuzz: seed ${args.seed}, ${args.count} files, ${args.concurrency} at a time, run time limit ${args.timeLimitS} s, CLI ${args.cli}\n`,
  );

  // Mutants are drawn in order, so a seed always makes the same files whatever the concurrency.
  const mutants = Array.from({ length: args.count }, () => randomMutant(bases, random));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < mutants.length) {
      const index = next++;
      const violations = await fuzzOne(args, mutants[index], index, work, tally);
      tally.files++;
      if (violations.length > 0) {
        tally.failures++;
        await mkdir(out, { recursive: true });
        await writeFile(join(out, `failure-${index}.pipeline.json`), mutants[index].bytes);
        await writeFile(join(out, `failure-${index}.txt`), `${mutants[index].name}\n\n${violations.join("\n")}\n`);
        process.stderr.write(`FAIL ${index}: ${mutants[index].name.slice(0, 160)}\n  ${violations.join("\n  ")}\n`);
      }
      if (tally.files % 100 === 0) process.stderr.write(`… ${tally.files} files, ${tally.failures} failures\n`);
    }
  };
  await Promise.all(Array.from({ length: args.concurrency }, worker));
  await rm(work, { recursive: true, force: true });

  const seconds = Math.round((Date.now() - started) / 1000);
  process.stdout.write(
    [
      `fuzz: seed ${args.seed}: ${tally.files} files, ${tally.runs} CLI runs in ${seconds} s`,
      `  validate --json: ${formatCounts(tally.validateExits)}`,
      `  run --json --limit 20: ${formatCounts(tally.runExits)}`,
      `  failures: ${tally.failures}${tally.failures > 0 ? ` (files and what they broke in ${out})` : ""}`,
      "",
    ].join("\n"),
  );
  return tally.failures > 0 ? 1 : 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`fuzz: ${error instanceof Error ? error.message : String(error)}\n${FUZZ_USAGE}\n`);
  process.exitCode = 2;
}
