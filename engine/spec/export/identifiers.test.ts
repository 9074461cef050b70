import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { HOSTILE_TEXTS } from "./testing/hostileInputs.js";
import { pyIdentifier, snakeCase, tsIdentifier } from "./identifiers.js";
import { exportPython, exportTypeScript } from "./index.js";
import { runnableMergeFile } from "./testing/files.js";

/** Python's own lists: keywords, soft keywords and every builtin name; null without python3. */
function pythonReservedNames(): string[] | null {
  try {
    const script =
      "import builtins, json, keyword; print(json.dumps(sorted(set(keyword.kwlist) | set(keyword.softkwlist) | set(dir(builtins)))))";
    return JSON.parse(execFileSync("python3", ["-c", script], { encoding: "utf8" })) as string[];
  } catch {
    return null;
  }
}
const PYTHON_RESERVED_NAMES = pythonReservedNames();

describe("identifiers", () => {
  it("makes identifiers from free-text ids, never a keyword, never twice", () => {
    const ts = new Set<string>();
    expect(["Download images (v2)", "class", "class", "2nd pass", "!!!", "jitterMs"].map((id) => tsIdentifier(id, ts))).toEqual([
      "downloadImagesV2",
      "class2",
      "class3",
      "n2ndPass",
      "node",
      "jitterMs",
    ]);
    const py = new Set<string>(["make_sleep"]);
    expect(["Download images (v2)", "class", "class", "2nd pass", "!!!", "range", "make sleep"].map((id) => pyIdentifier(id, py))).toEqual([
      "download_images_v2",
      "class_2",
      "class_3",
      "n_2nd_pass",
      "node",
      "range_2",
      "make_sleep_2",
    ]);
    expect(tsIdentifier("words", new Set(), "branch")).toBe("wordsBranch");
    expect(pyIdentifier("words", new Set(), "branch")).toBe("words_branch");
    const stages = new Set(["gzip"]);
    expect(["gzip", "gzip", "gzip"].map((id) => pyIdentifier(id, stages, "", "stage"))).toEqual([
      "gzip_stage",
      "gzip_stage_2",
      "gzip_stage_3",
    ]);
    expect(snakeCase("jitterMs")).toBe("jitter_ms");
  });

  it.skipIf(PYTHON_RESERVED_NAMES === null)(
    "never names a Python variable after a keyword or builtin, so a node called memoryview cannot break the helpers",
    () => {
      const shadowing = PYTHON_RESERVED_NAMES!.filter((name) => pyIdentifier(name, new Set()) === name);
      expect(shadowing).toEqual([]);
    },
  );

  it("makes a plain identifier of every hostile text, cut to a readable length", () => {
    for (const [label, text] of HOSTILE_TEXTS) {
      const py = pyIdentifier(text, new Set());
      const ts = tsIdentifier(text, new Set(), "branch");
      expect(py, label).toMatch(/^[a-z_][a-z0-9_]*$/);
      expect(ts, label).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
      expect(py.length, label).toBeLessThanOrEqual(60);
      expect(ts.length, label).toBeLessThanOrEqual(60);
    }
  });

  it("keeps an id with a line break out of the code around a comment", () => {
    const spec = runnableMergeFile();
    for (const text of [exportTypeScript(spec, { baseDir: "/x" }), exportPython(spec, { baseDir: "/x" })]) {
      for (const line of text.split("\n")) expect(line.startsWith("class") || line.trim() === 'class"', line).toBe(false);
    }
  });
});
