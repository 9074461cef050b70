import { GeneratedValues, isGeneratorObject } from "../generatedValues.js";
import { statSync } from "node:fs";
import { extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { ConfigError } from "../errors.js";
import { poolTask } from "../opTypes.js";
import { namedValues } from "../spec/fields.js";
import type { StageOpDefinition } from "./catalog.js";

type UserFunction = (item: unknown, args: Record<string, unknown>) => unknown;

interface ModuleParams {
  path: string;
  export: string;
  args: Record<string, unknown>;
}

const TYPESCRIPT = new Set([".ts", ".mts", ".cts", ".tsx"]);
const JAVASCRIPT = new Set([".js", ".mjs", ".cjs"]);

export const userModule: StageOpDefinition<ModuleParams> = {
  name: "module",
  synonyms: ["script", "code", "custom", "function", "javascript", "plugin"],
  kind: "stage",
  category: "user code",
  execution: "pool",
  description: 'Calls export(item, args) of a local JavaScript module: on the worker pool, or the event loop with runOn "loop"',
  params: z.strictObject({
    // "" (the default) stands for "not chosen yet": a half-drawn pipeline may be saved; createOp reports it.
    path: z
      .string({ error: "must be the path of a .js or .mjs file" })
      .refine((path) => !TYPESCRIPT.has(extension(path)), {
        error: "is a TypeScript file; worker threads load JavaScript, so point at the compiled .js file",
      })
      .refine((path) => path === "" || TYPESCRIPT.has(extension(path)) || JAVASCRIPT.has(extension(path)), {
        error: "must be a .js, .mjs or .cjs file",
      })
      .default(""),
    export: z.string({ error: "must be the name of an exported function" }).min(1, { error: "must not be empty" }).default("default"),
    // Every key the file wrote reaches the function, "__proto__" included, as data (z.record would drop it).
    args: namedValues("must be an object of named arguments").prefault({}),
  }),
  checkResources({ path }, { baseDir }) {
    const problem = modulePathProblem(path, baseDir);
    return problem ? [{ param: "path", message: problem }] : [];
  },
  createOp({ path, export: exportName, args }, { baseDir, runOn }) {
    const problem = modulePathProblem(path, baseDir);
    if (problem) throw new ConfigError(path === "" ? `module: params.path ${problem}` : `module: ${problem} (params.path "${path}")`);
    const moduleUrl = pathToFileURL(resolve(baseDir, path)).href;
    if (runOn === "loop") return loopCaller(moduleUrl, exportName, args);
    return poolTask<unknown, unknown>(moduleUrl, exportName, args);
  },
};

function extension(path: string): string {
  return extname(path).toLowerCase();
}

/** Why params.path names no module file, or undefined when it does. */
function modulePathProblem(path: string, baseDir: string): string | undefined {
  if (path === "") return "is required: the .js or .mjs file whose export runs on each item";
  const file = resolve(baseDir, path);
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch {
    return `${file} does not exist`;
  }
  return isFile ? undefined : `${file} is not a file`;
}

/** Imports the module on the first call, not at build time, so a pipeline that never runs never executes user code. */
function loopCaller(moduleUrl: string, exportName: string, args: Record<string, unknown>) {
  let loaded: Promise<UserFunction> | undefined;
  const load = (): Promise<UserFunction> => {
    loaded ??= importExport(moduleUrl, exportName).catch((error: unknown) => {
      // Forget a failed import so a fixed file is picked up by the next call.
      loaded = undefined;
      throw error;
    });
    return loaded;
  };
  return async function module(item: unknown) {
    const fn = await load();
    const result = fn(item, args);
    // A generator export: each value it yields is an output, as on the pool.
    return isGeneratorObject(result) ? new GeneratedValues(result, undefined, item) : result;
  };
}

async function importExport(moduleUrl: string, exportName: string): Promise<UserFunction> {
  const loadedModule = (await import(moduleUrl)) as Record<string, unknown>;
  const fn = loadedModule[exportName];
  if (typeof fn !== "function") {
    const available = Object.keys(loadedModule)
      .filter((name) => typeof loadedModule[name] === "function")
      .sort();
    throw new TypeError(`${moduleUrl} has no exported function '${exportName}' (exports: ${available.join(", ") || "none"})`);
  }
  return fn as UserFunction;
}
