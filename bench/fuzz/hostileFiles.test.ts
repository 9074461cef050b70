import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SpecError, compilePipeline, inspectPipelineFile, type InspectedPipelineFile } from "../../engine/spec/index.js";
import type { InterruptSource } from "../../host/cli/interrupts.js";
import type { CliIo } from "../../host/cli/output.js";
import { runCommand } from "../../host/cli/runCommand.js";
import { validateCommand } from "../../host/cli/validateCommand.js";
import { exampleBases } from "./bases.js";
import { runViolations, validateViolations } from "./cliContract.js";
import { curatedMutants, type Mutant } from "./mutations.js";

/**
 * The curated table: a few hundred hostile files made from the examples, each through the file
 * checks, `validate --json` and `run --json --limit 5` in-process (the commands' own entry
 * functions). Nothing may throw; every problem has a JSON path; a file validate passes compiles;
 * validate and run agree; each command prints exactly one JSON document.
 */

const bases = await exampleBases();
const mutants = curatedMutants(bases, 12);
/** A run still going after this is stopped as Ctrl-C would: a hostile file may ask for day-long sleeps. */
const RUN_TIME_LIMIT_MS = 1000;

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "pipeline-hostile-"));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

function capturedIo(): { io: CliIo; stdout: () => string } {
  let stdout = "";
  return { io: { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: () => true } }, stdout: () => stdout };
}

/** Ctrl-C once the time limit passes; says whether it came to that. */
function timeLimit(ms: number): { interrupts: InterruptSource; fired: () => boolean } {
  let fired = false;
  return {
    interrupts: (handlers) => {
      const timer = setTimeout(() => {
        fired = true;
        handlers.first("SIGINT");
      }, ms);
      return () => clearTimeout(timer);
    },
    fired: () => fired,
  };
}

async function inspect(file: string): Promise<InspectedPipelineFile> {
  try {
    return await inspectPipelineFile(file);
  } catch (error) {
    // Only a file that is no JSON to check may throw, and then as a SpecError at "$".
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems.map((problem) => problem.path)).toEqual(["$"]);
    return { loaded: undefined, problems: (error as SpecError).problems };
  }
}

describe("hostile pipeline files", () => {
  it("the table holds a few hundred files, every mutation among them", () => {
    expect(mutants.length).toBeGreaterThanOrEqual(300);
    expect(new Set(mutants.map((mutant) => mutant.name)).size).toBeGreaterThan(200);
  });

  it.each(mutants.map((mutant, index): [string, Mutant, number] => [mutant.name.slice(0, 120), mutant, index]))(
    "%s",
    async (_name, mutant, index) => {
      const file = join(folder, `mutant-${index}.pipeline.json`);
      await writeFile(file, mutant.bytes);

      const { loaded, problems } = await inspect(file);
      for (const problem of problems) expect(problem.path, problem.message).toMatch(/\S/);
      // What validate passes, compile takes: whatever it refuses must have been reported first.
      if (loaded && problems.length === 0) expect(() => compilePipeline(loaded.spec, { baseDir: loaded.baseDir })).not.toThrow();

      const validate = capturedIo();
      const validateCode = await validateCommand(file, { json: true }, { io: validate.io });
      const validated = validateViolations({ code: validateCode, stdout: validate.stdout() });
      expect(validated.violations).toEqual([]);
      expect(validated.document!.valid).toBe(loaded !== undefined && problems.length === 0);

      const run = capturedIo();
      const limit = timeLimit(RUN_TIME_LIMIT_MS);
      // Two threads whatever the file says: 128 would be valid and slow to start, and says nothing more here.
      const runCode = await runCommand(
        file,
        { json: true, limit: 5, progress: false, set: [], threads: 2 },
        { io: run.io, interrupts: limit.interrupts, exitNow: () => expect.fail("a second Ctrl-C") },
      );
      expect(runViolations({ code: runCode, stdout: run.stdout(), stopped: limit.fired() }, validated.document)).toEqual([]);
    },
  );
});
