/** Pipeline files and helpers shared by the exporters' tests. */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { catalog } from "../../../ops/index.js";
import { compilePipeline } from "../../compile.js";
import { pipelineFileSchema, type PipelineFile, type PipelineFileInput } from "../../schema.js";

/** The repository root: `pipeline-studio/engine` resolves from inside it to the built dist/. */
export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

export function pipelineFile(input: Omit<PipelineFileInput, "format">): PipelineFile {
  return pipelineFileSchema.parse({ format: "pipeline-studio/1", ...input });
}

/** The docs' example: urls (range) → download (sleep, 4 at once) → preprocess (cpu, 2 at once, input order) → sink 3, 3 threads. */
export function seedLikeFile(): PipelineFile {
  return pipelineFile({
    name: "Seed: download → preprocess",
    nodes: [
      { id: "urls", kind: "source", op: "range", params: { count: 100 } },
      { id: "download", kind: "stage", op: "sleep", params: { ms: 20, jitterMs: 5 }, concurrency: 4 },
      { id: "preprocess", kind: "stage", op: "cpu", params: { ms: 5 }, concurrency: 2, outputOrder: "input" },
      { id: "sink", kind: "sink", queueSize: 3 },
    ],
    edges: [
      { from: "urls", to: "download" },
      { from: "download", to: "preprocess" },
      { from: "preprocess", to: "sink" },
    ],
    build: { numThreads: 3 },
  });
}

/**
 * A short chain to run for real. With `fail` in the catalog it drops exactly 10 of the 100 items
 * (the op fails an exact share of each 100 calls), so the count tells whether every stage ran.
 */
export function runnableChainFile(): PipelineFile {
  const failing = catalog.has("fail")
    ? [{ id: "flaky", kind: "stage" as const, op: "fail", params: { fraction: 0.1, seed: 7 }, concurrency: 2 }]
    : [];
  const last = catalog.has("cpu")
    ? { id: "preprocess", kind: "stage" as const, op: "cpu", params: { ms: 1 }, concurrency: 2, outputOrder: "input" as const }
    : { id: "preprocess", kind: "stage" as const, op: "sleep", params: { ms: 1 }, concurrency: 2, outputOrder: "input" as const };
  const chain = ["urls", "download", ...failing.map((node) => node.id), "preprocess", "sink"];
  return pipelineFile({
    name: "runnable chain",
    nodes: [
      { id: "urls", kind: "source", op: "range", params: { count: 100 } },
      { id: "download", kind: "stage", op: "sleep", params: { ms: 2, jitterMs: 1 }, concurrency: 4 },
      ...failing,
      last,
      { id: "sink", kind: "sink", queueSize: 3 },
    ],
    edges: chain.slice(1).map((to, index) => ({ from: chain[index], to })),
    build: { numThreads: 3 },
  });
}

/**
 * Two branches merged, then batched and unbatched: numbers (range 30 → slow) and words (list 7),
 * merging into "join", whose id is awkward on purpose (a quote, a line break, a keyword's worth of
 * trouble) to prove ids travel into both languages safely.
 */
export function runnableMergeFile(): PipelineFile {
  return pipelineFile({
    name: "runnable merge",
    description: "Two sources.\nOne stream.",
    nodes: [
      { id: "numbers", kind: "source", op: "range", params: { count: 30, start: 5 } },
      { id: "slow", kind: "stage", op: "sleep", params: { ms: 1 }, concurrency: 3 },
      { id: "words", kind: "source", op: "list", params: { items: ["a", "b", "c", { d: [1, null, true] }, "é", 'q"uote', "line\nbreak"] } },
      { id: 'join "here"\nclass', kind: "stage", op: "sleep", params: { ms: 0 }, concurrency: 2, outputOrder: "input" },
      { id: "batch", kind: "aggregate", params: { size: 4, dropLast: false } },
      { id: "unbatch", kind: "disaggregate" },
      { id: "out", kind: "sink", queueSize: 5 },
    ],
    edges: [
      { from: "numbers", to: "slow" },
      { from: "slow", to: 'join "here"\nclass' },
      { from: "words", to: 'join "here"\nclass' },
      { from: 'join "here"\nclass', to: "batch" },
      { from: "batch", to: "unbatch" },
      { from: "unbatch", to: "out" },
    ],
    build: { numThreads: 2 },
  });
}

/** A merge inside a merge: (a, b) → inner, then (inner, c) → outer → sink; 3 + 2 + 4 items. */
export function nestedMergeFile(): PipelineFile {
  return pipelineFile({
    name: "nested merge",
    nodes: [
      { id: "a", kind: "source", op: "range", params: { count: 3 } },
      { id: "b", kind: "source", op: "list", params: { items: [10, 11] } },
      { id: "inner", kind: "stage", op: "sleep", params: { ms: 1 } },
      { id: "c", kind: "source", op: "range", params: { count: 4, start: 100 } },
      { id: "outer", kind: "stage", op: "sleep", params: { ms: 0 }, concurrency: 2 },
      { id: "sink", kind: "sink" },
    ],
    edges: [
      { from: "a", to: "inner" },
      { from: "b", to: "inner" },
      { from: "inner", to: "outer" },
      { from: "c", to: "outer" },
      { from: "outer", to: "sink" },
    ],
    build: { numThreads: 1 },
  });
}

/**
 * Routes: numbers (range 40) → pick (x mod 3): path 0 a nested route (0, 3, 6, 9 through small,
 * the rest on its empty path) meeting at innerJoin; path 1 empty; path 2 batches of 4 → join →
 * sink: 14 + 13 + 4 batches = 31 items.
 */
export function routedFile(): PipelineFile {
  return pipelineFile({
    name: "routed",
    nodes: [
      { id: "numbers", kind: "source", op: "range", params: { count: 40 } },
      { id: "pick", kind: "route", op: "routeBy", params: { modulo: 3 } },
      { id: "inner", kind: "route", op: "routeBy", params: { values: [[0, 3, 6, 9]], otherwise: 1 } },
      { id: "small", kind: "stage", op: "sleep", params: { ms: 0 }, concurrency: 2 },
      { id: "innerJoin", kind: "stage", op: "sleep", params: { ms: 0 } },
      { id: "batch", kind: "aggregate", params: { size: 4 } },
      { id: "join", kind: "stage", op: "sleep", params: { ms: 0 }, concurrency: 2 },
      { id: "out", kind: "sink" },
    ],
    edges: [
      { from: "numbers", to: "pick" },
      { from: "pick", to: "inner", path: 0 },
      { from: "pick", to: "join", path: 1 },
      { from: "pick", to: "batch", path: 2 },
      { from: "inner", to: "small", path: 0 },
      { from: "inner", to: "innerJoin", path: 1 },
      { from: "small", to: "innerJoin" },
      { from: "innerJoin", to: "join" },
      { from: "batch", to: "join" },
      { from: "join", to: "out" },
    ],
    build: { numThreads: 1 },
  });
}

/** Runs the file the way the app and the CLI do and collects what reaches the consumer. */
export async function itemsInProcess(spec: PipelineFile, baseDir: string): Promise<unknown[]> {
  const { builder, buildOptions } = compilePipeline(spec, { baseDir });
  const items: unknown[] = [];
  for await (const item of builder.build(buildOptions)) items.push(item);
  return items;
}

export async function countInProcess(spec: PipelineFile, baseDir: string): Promise<number> {
  return (await itemsInProcess(spec, baseDir)).length;
}

/** JSON files, then each read, gzipped and back, parsed, written as JSON text and hashed: every real op but httpGet. */
export function realOpsFile(): PipelineFile {
  const chain = ["inputs", "read", "pack", "unpack", "parse", "text", "digest", "out"];
  return pipelineFile({
    name: "real ops",
    nodes: [
      { id: "inputs", kind: "source", op: "files", params: { folder: "data", pattern: "*.json" } },
      { id: "read", kind: "stage", op: "readFile", concurrency: 2 },
      { id: "pack", kind: "stage", op: "gzip", params: { level: 9 } },
      { id: "unpack", kind: "stage", op: "gunzip" },
      { id: "parse", kind: "stage", op: "jsonParse" },
      { id: "text", kind: "stage", op: "jsonStringify" },
      { id: "digest", kind: "stage", op: "sha256", outputOrder: "input" },
      { id: "out", kind: "sink" },
    ],
    edges: chain.slice(1).map((to, index) => ({ from: chain[index], to })),
    build: { numThreads: 2 },
  });
}

/** A scratch folder inside the repository (so the package resolves itself), removed by the returned function. */
export function scratchFolderInRepo(): { path: string; remove: () => void } {
  const path = join(REPO_ROOT, `.tmp-export-test-${randomBytes(4).toString("hex")}`);
  mkdirSync(path);
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** The "Delivered N items" line both exported programs print. */
export function deliveredCount(output: string): number {
  const match = /^Delivered (\d+) items$/m.exec(output);
  if (!match) throw new Error(`no "Delivered N items" line in the program's output:\n${output}`);
  return Number(match[1]);
}

/** Whether python3 runs here: the tests that compile or run exported Python skip without it. */
export function hasPython(): boolean {
  try {
    execFileSync("python3", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
