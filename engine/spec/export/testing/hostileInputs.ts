/**
 * Text a pipeline file may hold that an exported program must carry as data, one row per kind of
 * trouble, and pipeline files that put a row's text everywhere a file can put text. The payloads
 * write PAYLOAD_MARKER into the working folder if they ever run as code.
 */
import { pipelineFile } from "./files.js";
import type { PipelineFile } from "../../schema.js";

export const PAYLOAD_MARKER = "PAYLOAD_RAN";
const PY_PAYLOAD = `__import__("pathlib").Path("${PAYLOAD_MARKER}").write_text("python")`;
const TS_PAYLOAD = `import("node:fs").then((fs) => fs.writeFileSync("${PAYLOAD_MARKER}", "typescript"))`;

export const HOSTILE_TEXTS: ReadonlyArray<readonly [label: string, text: string]> = [
  ["double quotes", 'say "hi"'],
  ["a Python string breakout", `"; import os; os.system("touch ${PAYLOAD_MARKER}"); "`],
  ["a TypeScript string breakout", `"); ${TS_PAYLOAD}; ("`],
  ["single quotes", `'); ${PY_PAYLOAD}; ('`],
  ["backslashes", "C:\\new\\table\\x41\\u0041\\"],
  ["a newline, then code", `x\n${PY_PAYLOAD}\n${TS_PAYLOAD}\n#`],
  ["a carriage return, then code", `x\r${PY_PAYLOAD}\r${TS_PAYLOAD}\r#`],
  ["CRLF, then code", `x\r\n${PY_PAYLOAD}\r\n${TS_PAYLOAD}\r\n#`],
  ["NUL", "a\u0000b"],
  ["other controls and line separators", "\t\u0001\u001b[31m\u007f\u000b\u000c\u001c\u001d\u001e\u0085 tab"],
  ["triple double quotes", `"""\n${PY_PAYLOAD}\n"""`],
  ["triple single quotes", `'''\n${PY_PAYLOAD}\n'''`],
  ["a block comment's end", `*/ ${TS_PAYLOAD}; /*`],
  ["a template substitution", "${" + TS_PAYLOAD + "}"],
  ["backticks", "`; " + TS_PAYLOAD + "; `"],
  ["an encoding cookie that decodes escapes", `coding:unicode_escape\n${PY_PAYLOAD}\n#`],
  ["an encoding cookie for latin-1", "# -*- coding=latin-1 -*- é ü €"],
  ["U+2028 and U+2029, then code", `\u2028${TS_PAYLOAD}\u2029${TS_PAYLOAD}\u2028`],
  ["lone surrogates", "\ud800 and \udfff, and a pair: 😀"],
  ["bidi overrides and zero-width characters", "a\u202eb\u2066c\u200bd\ufeffe\u00a0f"],
  ["format placeholders", "{delivered} %s {0} %(name)s"],
  ["non-ASCII", "é ñ 中文 e\u0301 𝔘"],
  ["__proto__", "__proto__"],
  ["constructor", "constructor"],
  ["a builtin the helpers use", "memoryview"],
  ["a very long text", '"\\\n'.repeat(20_000) + "x".repeat(40_000)],
];

/** A node id holding `text` after the node's role; the ending dot keeps trailing spaces in (ids are trimmed). */
function idWith(text: string, role: string): string {
  return `${role} ${text}.`;
}

/** An object whose own keys include `key`, even "__proto__" (an object literal would set the prototype). */
function objectWith(entries: [string, unknown][]): Record<string, unknown> {
  return Object.fromEntries(entries);
}

/** Items of text: as a string, a key, a nested value, next to the keys that mean something to JavaScript. */
export function textItems(text: string): unknown[] {
  return [
    text,
    objectWith([
      [text, text],
      ["nested", [text, objectWith([[text, null]])]],
    ]),
    objectWith([
      ["__proto__", { polluted: text }],
      ["constructor", text],
    ]),
  ];
}

/** Numbers JSON and plain printing get wrong (-0, huge integers, infinities, NaN), and the booleans. */
export const AWKWARD_NUMBERS: readonly unknown[] = [0.1, -0, 1e21, 2 ** 53 + 2, -5, 1.5e-7, Infinity, -Infinity, NaN, true, false];

/** The ids of the hostile merge file's nodes, by role. */
export function mergeIds(text: string) {
  return {
    words: idWith(text, "words"),
    numbers: idWith(text, "numbers"),
    failing: idWith(text, "failing"),
    fail: idWith(text, "fail"),
    // The text itself where it is a valid id, so an id like "memoryview" names a Python function.
    join: text.trim() === text ? text : idWith(text, "join"),
    batch: idWith(text, "batch"),
    unbatch: idWith(text, "unbatch"),
    out: idWith(text, "out"),
  };
}

/**
 * A runnable merge carrying `text` in its name, description, every node id, list items (values and
 * keys) and a fail op's message: words and numbers pass through; the failing branch fails both its
 * items with `text` as the message, within its maxFailures.
 */
export function hostileMergeFile(text: string): PipelineFile {
  const id = mergeIds(text);
  return pipelineFile({
    name: text,
    description: `${text}\n${text}`,
    nodes: [
      { id: id.words, kind: "source", op: "list", params: { items: textItems(text) } },
      { id: id.numbers, kind: "source", op: "list", params: { items: [...AWKWARD_NUMBERS] } },
      { id: id.failing, kind: "source", op: "list", params: { items: [1, 2] } },
      { id: id.fail, kind: "stage", op: "fail", params: { fraction: 1, seed: 0, message: text }, maxFailures: 10 },
      { id: id.join, kind: "stage", op: "sleep", params: { ms: 0 } },
      { id: id.batch, kind: "aggregate", params: { size: 2 } },
      { id: id.unbatch, kind: "disaggregate" },
      { id: id.out, kind: "sink" },
    ],
    edges: [
      { from: id.words, to: id.join },
      { from: id.numbers, to: id.join },
      { from: id.failing, to: id.fail },
      { from: id.fail, to: id.join },
      { from: id.join, to: id.batch },
      { from: id.batch, to: id.unbatch },
      { from: id.unbatch, to: id.out },
    ],
    build: { numThreads: 1 },
  });
}

/**
 * A chain through every catalog op, `text` in each id and in every string param (folder, pattern,
 * module path, export and args). It compiles; running it stops at the files source, whose folder
 * does not exist, after every top-level statement before it has run.
 */
export function hostileChainFile(text: string): PipelineFile {
  const stages: { op: string; params?: Record<string, unknown>; runOn?: "loop" }[] = [
    { op: "readFile" },
    {
      op: "module",
      params: {
        path: `${text}.mjs`,
        export: text,
        args: objectWith([
          [text, text],
          ["__proto__", text],
        ]),
      },
      runOn: "loop",
    },
    { op: "gzip" },
    { op: "gunzip" },
    { op: "jsonParse" },
    { op: "jsonStringify" },
    { op: "sha256" },
    { op: "httpGet" },
    { op: "sleep" },
    { op: "cpu" },
    { op: "fail", params: { message: text } },
  ];
  const ids = [idWith(text, "files"), ...stages.map((stage) => idWith(text, stage.op)), idWith(text, "out")];
  return pipelineFile({
    name: text,
    description: text,
    nodes: [
      { id: ids[0], kind: "source", op: "files", params: { folder: text, pattern: text } },
      ...stages.map((stage, index) => ({
        id: ids[index + 1],
        kind: "stage" as const,
        op: stage.op,
        params: stage.params ?? {},
        runOn: stage.runOn ?? null,
      })),
      { id: ids[ids.length - 1], kind: "sink" },
    ],
    edges: ids.slice(1).map((to, index) => ({ from: ids[index], to })),
  });
}

/**
 * The attack on the Python export, one case a place Python reads an encoding declaration
 * from: "coding:unicode_escape" in the name or the path (line 1 of the header as it was) or the
 * description's first line (line 2). Python decodes the lines after the declaration with it, so an
 * escaped line break ("\n" as two characters, kept so in a comment) on a later description line
 * becomes a real one and the payload a line of code. Files without other escapes, so the rest of
 * the program decodes unharmed.
 */
export function encodingCookieAttacks(): { label: string; spec: PipelineFile; file: string }[] {
  const file = (name: string, description: string): PipelineFile =>
    pipelineFile({
      name,
      description,
      nodes: [
        { id: "in", kind: "source", op: "list", params: { items: [1, 2] } },
        { id: "out", kind: "sink" },
      ],
      edges: [{ from: "in", to: "out" }],
    });
  const escapedPayload = `x\\n${PY_PAYLOAD}`;
  return [
    { label: "name", spec: file("coding:unicode_escape", escapedPayload), file: "/pipelines/attack.pipeline.json" },
    { label: "description", spec: file("attack", `coding:unicode_escape\n${escapedPayload}`), file: "/pipelines/attack.pipeline.json" },
    { label: "path", spec: file("attack", escapedPayload), file: "/pipelines/coding:unicode_escape/attack.pipeline.json" },
  ];
}
