/**
 * A stand-in for the pipeline-studio/engine package, for tests that run exported TypeScript
 * programs and compare what they pass the engine with the file: it runs the real engine (the
 * built dist/) and records each op's name and params and each stage's name, as the program gave them.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { deserialize } from "node:v8";
import { REPO_ROOT } from "./files.js";

const ENGINE_URL = pathToFileURL(join(REPO_ROOT, "dist/engine/index.js")).href;

// v8's serializer, unlike JSON, keeps -0, NaN, the infinities and an own "__proto__" key as they are.
const ENGINE_JS = `import { writeFileSync } from "node:fs";
import { serialize } from "node:v8";
import * as engine from ${JSON.stringify(ENGINE_URL)};

const record = { ops: [], stages: [] };
process.on("exit", () => {
  if (process.env.ENGINE_STAND_IN_RECORD) writeFileSync(process.env.ENGINE_STAND_IN_RECORD, serialize(record));
});

export const { PipelineBuilder, merge } = engine;

export function sourceOp(name, params, options) {
  record.ops.push({ name, params });
  return engine.sourceOp(name, params, options);
}

export function stageOp(name, params, options) {
  record.ops.push({ name, params });
  return engine.stageOp(name, params, options);
}

export function formatSummary(snapshot) {
  record.stages = snapshot.stages.map(({ name, failures }) => ({ name, failures }));
  return engine.formatSummary(snapshot);
}
`;

/**
 * Makes `folder` a place to run compiled programs from: its own package.json (so
 * "pipeline-studio/engine" is not the repository's self-reference) and the stand-in in node_modules.
 */
export function writeEngineStandIn(folder: string): void {
  const packageFolder = join(folder, "node_modules", "pipeline-studio");
  mkdirSync(packageFolder, { recursive: true });
  writeFileSync(join(folder, "package.json"), JSON.stringify({ type: "module" }));
  writeFileSync(
    join(packageFolder, "package.json"),
    JSON.stringify({ name: "pipeline-studio", type: "module", exports: { "./engine": "./engine.js" } }),
  );
  writeFileSync(join(packageFolder, "engine.js"), ENGINE_JS);
}

/** What a run writes to the file named by ENGINE_STAND_IN_RECORD when it exits. */
export interface EngineStandInRecord {
  ops: { name: string; params: Record<string, unknown> }[];
  /** From the stats the program printed. */
  stages: { name: string; failures: number }[];
}

export function readEngineStandInRecord(path: string): EngineStandInRecord {
  return deserialize(readFileSync(path)) as EngineStandInRecord;
}
