import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalog } from "../../ops/index.js";
import type { PipelineFile } from "../schema.js";
import { readEngineStandInRecord, writeEngineStandIn } from "./testing/engineStandIn.js";
import {
  AWKWARD_NUMBERS,
  encodingCookieAttacks,
  HOSTILE_TEXTS,
  hostileChainFile,
  hostileMergeFile,
  mergeIds,
  PAYLOAD_MARKER,
  textItems,
} from "./testing/hostileInputs.js";
import { exportPython, exportTypeScript, type ExportOptions } from "./index.js";
import { readSpdlStandInRecord, standInJson, writeSpdlStandIn } from "./testing/spdlStandIn.js";
import { deliveredCount, hasPython, REPO_ROOT, scratchFolderInRepo } from "./testing/files.js";

const run = promisify(execFile);
const TSC = join(REPO_ROOT, "node_modules/typescript/bin/tsc");

/** The file's path and folder carry the text too: the header names one, BASE_DIR and atFileFolder hold the other. */
function optionsFor(text: string): ExportOptions {
  return { baseDir: `/nonexistent/${text}`, file: `/nonexistent/${text}/hostile.pipeline.json` };
}

const ROWS = HOSTILE_TEXTS.map(([label, text], index) => ({ label, text, index }));

/** A sort key that tells items apart, own "__proto__" keys included. */
function byJson(items: unknown[]): unknown[] {
  return [...items].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

/** The ops the file's sources and stages name, with the params the engine reads from it. */
function opCalls(spec: PipelineFile): { name: string; params: unknown }[] {
  return spec.nodes
    .filter((node) => node.op !== null)
    .map((node) => ({ name: node.op!, params: catalog.get(node.op!)!.params.parse(node.params) }));
}

async function runProgram(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<{ stdout: string; stderr: string; failed: boolean }> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
    return { stdout, stderr, failed: false };
  } catch (error) {
    const { stdout, stderr } = error as { stdout: string; stderr: string };
    return { stdout, stderr, failed: true };
  }
}

/** A fresh working folder for one run, so a payload's marker file would land where the test looks. */
function workFolder(root: string, name: string): string {
  const folder = join(root, name);
  mkdirSync(folder, { recursive: true });
  return folder;
}

describe.skipIf(!hasPython())("exportPython: every hostile text stays data", () => {
  let scratch: ReturnType<typeof scratchFolderInRepo>;
  let standIn: string;
  const programs: string[] = [];
  afterAll(() => scratch?.remove());
  beforeAll(() => {
    scratch = scratchFolderInRepo();
    standIn = writeSpdlStandIn(join(scratch.path, "spdl-stand-in"));
    for (const { text, index } of ROWS) {
      for (const [kind, spec] of [
        ["merge", hostileMergeFile(text)],
        ["chain", hostileChainFile(text)],
      ] as const) {
        const path = join(scratch.path, `${kind}_${index}.py`);
        writeFileSync(path, exportPython(spec, optionsFor(text)));
        programs.push(path);
      }
    }
  });

  it("compiles every export (py_compile); each declares UTF-8 on line 1 and leaves line 2 empty, before any text from the file", async () => {
    for (const path of programs) expect(readFileSync(path, "utf8").split("\n").slice(0, 2), path).toEqual(["# -*- coding: utf-8 -*-", ""]);
    try {
      await run("python3", ["-m", "py_compile", ...programs]);
    } catch (error) {
      throw new Error(`an exported program does not compile:\n${(error as { stderr: string }).stderr}`, { cause: error });
    }
  }, 60_000);

  it.concurrent.each(encodingCookieAttacks())(
    "gives an encoding declaration in the $label no effect: the code after it never runs",
    async ({ label, spec, file }) => {
      const cwd = workFolder(scratch.path, `work_cookie_${label}`);
      const program = join(cwd, "attack.py");
      writeFileSync(program, exportPython(spec, { baseDir: "/pipelines", file }));
      const result = await runProgram("python3", [program], cwd, { PYTHONPATH: standIn });
      expect(existsSync(join(cwd, PAYLOAD_MARKER)), "the payload ran").toBe(false);
      expect(result.failed, result.stderr).toBe(false);
      expect(deliveredCount(result.stdout)).toBe(2);
    },
    60_000,
  );

  it.concurrent.each(ROWS)(
    "runs the merge carrying $label: no payload runs; names, items and messages arrive as written",
    async ({ text, index }) => {
      const cwd = workFolder(scratch.path, `work_merge_${index}`);
      const recordFile = join(cwd, "record.json");
      const result = await runProgram("python3", [join(scratch.path, `merge_${index}.py`)], cwd, {
        PYTHONPATH: standIn,
        SPDL_STAND_IN_RECORD: recordFile,
      });
      expect(existsSync(join(cwd, PAYLOAD_MARKER)), "a payload ran").toBe(false);
      expect(result.failed, result.stderr.slice(-2000)).toBe(false);
      const record = readSpdlStandInRecord(recordFile);
      const ids = mergeIds(text);
      expect([...record.names].sort()).toEqual([ids.fail, ids.join].sort());
      expect(record.failures).toEqual([text, text]);
      expect(byJson(record.items)).toEqual(byJson([...textItems(text), ...AWKWARD_NUMBERS].map(standInJson)));
      expect(deliveredCount(result.stdout)).toBe(textItems(text).length + AWKWARD_NUMBERS.length);
    },
    60_000,
  );

  it.concurrent.each(ROWS)(
    "runs the chain through every op carrying $label: no payload runs before the files source stops it",
    async ({ index }) => {
      const cwd = workFolder(scratch.path, `work_chain_${index}`);
      const result = await runProgram("python3", [join(scratch.path, `chain_${index}.py`)], cwd, { PYTHONPATH: standIn });
      expect(existsSync(join(cwd, PAYLOAD_MARKER)), "a payload ran").toBe(false);
      // The folder does not exist (or its name is too long to look up): the first op fails, after all top-level code ran.
      // Checked as a boolean: the message holds the text, which may be 100 000 characters long.
      expect(result.failed && result.stderr.includes(", in list_files\n"), "stopped in list_files").toBe(true);
    },
    60_000,
  );
});

describe("exportTypeScript: every hostile text stays data", () => {
  let scratch: ReturnType<typeof scratchFolderInRepo>;
  // Sources type-check against the repository's engine; the compiled programs run from a folder with the recording stand-in.
  let sources: string;
  let compiled: string;
  afterAll(() => scratch?.remove());
  beforeAll(async () => {
    scratch = scratchFolderInRepo();
    sources = workFolder(scratch.path, "src");
    compiled = workFolder(scratch.path, "run");
    writeEngineStandIn(compiled);
    for (const { text, index } of ROWS) {
      writeFileSync(join(sources, `merge_${index}.ts`), exportTypeScript(hostileMergeFile(text), optionsFor(text)));
      writeFileSync(join(sources, `chain_${index}.ts`), exportTypeScript(hostileChainFile(text), optionsFor(text)));
    }
    // The stand-in runs the built engine.
    await run(process.execPath, [TSC, "-p", "tsconfig.build.json"], { cwd: REPO_ROOT });
  }, 120_000);

  it("compiles every export with the repo's TypeScript (strict, nodenext)", async () => {
    const tscArgs = [
      "--module",
      "nodenext",
      "--moduleResolution",
      "nodenext",
      "--target",
      "es2022",
      "--strict",
      "--skipLibCheck",
      "--rootDir",
      sources,
      "--outDir",
      compiled,
    ];
    const files = ROWS.flatMap(({ index }) => [join(sources, `merge_${index}.ts`), join(sources, `chain_${index}.ts`)]);
    try {
      await run(process.execPath, [TSC, ...tscArgs, ...files], { cwd: REPO_ROOT });
    } catch (error) {
      const { stdout, stderr } = error as { stdout: string; stderr: string };
      throw new Error(`an exported program does not compile:\n${stdout}${stderr}`, { cause: error });
    }
  }, 120_000);

  it.concurrent.each(ROWS)(
    "runs the merge carrying $label: no payload runs; names and params reach the engine as written",
    async ({ text, index }) => {
      const cwd = workFolder(scratch.path, `work_merge_${index}`);
      const recordFile = join(cwd, "record.bin");
      const result = await runProgram(process.execPath, [join(compiled, `merge_${index}.js`)], cwd, { ENGINE_STAND_IN_RECORD: recordFile });
      expect(existsSync(join(cwd, PAYLOAD_MARKER)), "a payload ran").toBe(false);
      expect(result.failed, result.stderr.slice(-2000)).toBe(false);
      const spec = hostileMergeFile(text);
      const record = readEngineStandInRecord(recordFile);
      const expectedCalls = opCalls(spec);
      expect(record.ops).toHaveLength(expectedCalls.length);
      expect(record.ops).toEqual(expect.arrayContaining(expectedCalls));
      const ids = mergeIds(text);
      const stageIds = spec.nodes.filter((node) => node.kind !== "sink").map((node) => node.id);
      expect(record.stages.map((stage) => stage.name).sort()).toEqual(stageIds.sort());
      expect(record.stages.find((stage) => stage.name === ids.fail)?.failures).toBe(2);
      expect(deliveredCount(result.stdout)).toBe(textItems(text).length + AWKWARD_NUMBERS.length);
    },
    60_000,
  );

  it.concurrent.each(ROWS)(
    "runs the chain through every op carrying $label: no payload runs before the files source stops it",
    async ({ index }) => {
      const cwd = workFolder(scratch.path, `work_chain_${index}`);
      const result = await runProgram(process.execPath, [join(compiled, `chain_${index}.js`)], cwd, {});
      expect(existsSync(join(cwd, PAYLOAD_MARKER)), "a payload ran").toBe(false);
      expect(result.failed && result.stderr.includes("ConfigError: files: "), "stopped by the files source").toBe(true);
    },
    60_000,
  );
});
