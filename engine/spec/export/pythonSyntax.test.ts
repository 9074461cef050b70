import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AWKWARD_NUMBERS, HOSTILE_TEXTS, PAYLOAD_MARKER, textItems } from "./testing/hostileInputs.js";
import { pyComment, pyString, pyValue, PYTHON_ENCODING_LINES } from "./pythonSyntax.js";
import { PYTHON_AS_JSON, standInJson } from "./testing/spdlStandIn.js";
import { hasPython } from "./testing/files.js";

const run = promisify(execFile);
const TEXTS = HOSTILE_TEXTS.map(([, text]) => text);

describe("Python syntax: how text is written", () => {
  it("writes strings as repr() would: quotes, backslashes and unprintables escaped, the rest as is", () => {
    expect(pyString('a "b"\n\u2028c\\\u0000é😀\ud800\t\u202e')).toBe('"a \\"b\\"\\n\\u2028c\\\\\\x00é😀\\ud800\\t\\u202e"');
    expect(pyValue({ ms: 1, "odd key": [true, null, "x"], nested: {} })).toBe('{"ms": 1, "odd key": [True, None, "x"], "nested": {}}');
    expect(AWKWARD_NUMBERS.map(pyValue)).toEqual([
      "0.1",
      "-0.0",
      "1000000000000000000000",
      "9007199254740994",
      "-5",
      "1.5e-7",
      'float("inf")',
      'float("-inf")',
      'float("nan")',
      "True",
      "False",
    ]);
  });

  it("keeps comment text on one line, whatever line breaks or NULs it holds", () => {
    expect(pyComment("a\nb\rc\u2028d\u0085e\u0000f\u000cg")).toBe("# a\\nb\\rc\\u2028d\\x85e\\x00f\\x0cg");
    expect(pyComment("")).toBe("#");
  });
});

describe.skipIf(!hasPython())("Python syntax: what python3 reads back", () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), "py-syntax-"));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  /** Runs a program that prints JSON (ASCII only, so lone surrogates survive) and returns what it printed. */
  async function printedJson(name: string, expressions: string[]): Promise<unknown> {
    const path = join(folder, name);
    writeFileSync(
      path,
      [
        ...PYTHON_ENCODING_LINES,
        "import json",
        "import math",
        "",
        PYTHON_AS_JSON,
        "values = [",
        ...expressions.map((expression) => `    ${expression},`),
        "]",
        "print(json.dumps(values))",
        "",
      ].join("\n"),
    );
    const { stdout } = await run("python3", [path], { cwd: folder, maxBuffer: 64 * 1024 * 1024 });
    return JSON.parse(stdout);
  }

  it("reads every hostile text back from its str literal exactly", async () => {
    expect(await printedJson("strings.py", TEXTS.map(pyString))).toEqual(TEXTS);
  });

  it("reads values back exactly: hostile keys, __proto__ as data, -0, huge integers, NaN and infinities", async () => {
    const values = [...TEXTS.flatMap(textItems), ...AWKWARD_NUMBERS];
    const tagged = (await printedJson(
      "values.py",
      values.map((value) => `_as_json(${pyValue(value)})`),
    )) as unknown[];
    expect(tagged).toEqual(values.map(standInJson));
  });

  it("sees each hostile text's comment as one comment token, and runs none of it", async () => {
    const path = join(folder, "comments.py");
    writeFileSync(path, [...PYTHON_ENCODING_LINES, ...TEXTS.map(pyComment), 'print("end")', ""].join("\n"));
    const count =
      "import sys, tokenize\nwith open(sys.argv[1], 'rb') as f: print(sum(t.type == tokenize.COMMENT for t in tokenize.tokenize(f.readline)))";
    const { stdout: comments } = await run("python3", ["-c", count, path]);
    expect(Number(comments)).toBe(PYTHON_ENCODING_LINES.filter((line) => line.startsWith("#")).length + TEXTS.length);
    const { stdout } = await run("python3", [path], { cwd: folder });
    expect(stdout).toBe("end\n");
    expect(existsSync(join(folder, PAYLOAD_MARKER))).toBe(false);
  });
});
