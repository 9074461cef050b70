import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError, type OpContext } from "../index.js";
import { isPoolTask } from "../opTypes.js";
import { userModule } from "./userCode.js";
import { buildContext, createStageOp, paramProblems, runStage } from "./testing/harness.js";

const here = dirname(fileURLToPath(import.meta.url));
const fixture = join(here, "fixtures", "userOps.mjs");

describe("module (user code)", () => {
  it("defaults to the default export with no args; rejects TypeScript and other files in plain words", () => {
    expect(userModule.params.parse({})).toEqual({ path: "", export: "default", args: {} });
    expect(paramProblems(userModule, { path: "ops/resize.ts" })).toEqual([
      {
        path: "params.path",
        message: 'is a TypeScript file; worker threads load JavaScript, so point at the compiled .js file, got "ops/resize.ts"',
      },
    ]);
    expect(paramProblems(userModule, { path: "ops/data.json" })).toEqual([
      { path: "params.path", message: 'must be a .js, .mjs or .cjs file, got "ops/data.json"' },
    ]);
    expect(paramProblems(userModule, { path: "ok.mjs", args: [1] })).toEqual([
      { path: "params.args", message: "must be an object of named arguments, got [1]" },
    ]);
    expect(paramProblems(userModule, { path: "ok.mjs", export: "" })).toEqual([
      { path: "params.export", message: 'must not be empty, got ""' },
    ]);
  });

  it("names the resolved path of a missing file, and asks for a path when none was chosen", () => {
    const create = () => createStageOp(userModule, { path: "ops/missing.mjs", export: "f" }, buildContext(here));
    expect(create).toThrow(ConfigError);
    expect(create).toThrow(`module: ${join(here, "ops", "missing.mjs")} does not exist (params.path "ops/missing.mjs")`);
    expect(() => createStageOp(userModule, {}, buildContext(here))).toThrow("module: params.path is required");
  });

  it("runs the export on the worker pool by default, as fn(item, args), the path resolved against the pipeline file's folder", async () => {
    const op = createStageOp(userModule, { path: "fixtures/userOps.mjs", export: "scale", args: { factor: 3 } }, buildContext(here));
    expect(isPoolTask(op) && op.moduleUrl).toBe(pathToFileURL(fixture).href);
    const { outputs, pipeline } = await runStage(
      userModule,
      { path: "fixtures/userOps.mjs", export: "scale", args: { factor: 3 } },
      [1, 2, 3],
      {
        context: buildContext(here),
        pipe: { concurrency: 2, outputOrder: "input" },
      },
    );
    expect(outputs).toEqual([1, 2, 3].map((item) => ({ value: item * 3, onMainThread: false })));
    expect(pipeline.stats().stages[1].executor).toBe("pool");
  });

  it('passes every key of args, "__proto__" included, as data: on the pool and on the event loop', async () => {
    // As a pipeline file's JSON gives it: "__proto__" an own key, not a prototype.
    const args = JSON.parse('{"__proto__": {"polluted": true}, "factor": 2}') as Record<string, unknown>;
    for (const runOn of ["pool", "loop"] as const) {
      const { outputs } = await runStage(userModule, { path: fixture, export: "ownArgs", args }, [0], {
        context: buildContext("/", runOn),
      });
      expect(outputs).toEqual([
        {
          entries: [
            ["__proto__", { polluted: true }],
            ["factor", 2],
          ],
          plainPrototype: true,
        },
      ]);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('runs on the event loop with runOn "loop"', async () => {
    const { outputs, pipeline } = await runStage(userModule, { path: fixture, export: "scale", args: { factor: 10 } }, [1, 2, 3], {
      context: buildContext("/", "loop"),
      pipe: { concurrency: 3, outputOrder: "input" },
    });
    expect(outputs).toEqual([1, 2, 3].map((item) => ({ value: item * 10, onMainThread: true })));
    expect(pipeline.stats().stages[1].executor).toBe("loop");
  });

  it("awaits async exports and uses the default export when none is named, either way", async () => {
    for (const runOn of ["pool", "loop"] as const) {
      const negated = await runStage(userModule, { path: fixture, export: "slowlyNegate" }, [4], { context: buildContext(here, runOn) });
      expect(negated.outputs, runOn).toEqual([-4]);
      const identity = await runStage(userModule, { path: fixture }, ["same"], { context: buildContext(here, runOn) });
      expect(identity.outputs, runOn).toEqual(["same"]);
    }
  });

  it("fails items with a message naming the missing export, either way", async () => {
    for (const runOn of ["pool", "loop"] as const) {
      const { outputs, pipeline } = await runStage(userModule, { path: fixture, export: "notAFunction" }, [1], {
        context: buildContext(here, runOn),
      });
      expect(outputs, runOn).toEqual([]);
      expect(pipeline.failures()[0].error.message, runOn).toBe(
        `${pathToFileURL(fixture).href} has no exported function 'notAFunction' (exports: default, ownArgs, scale, slowlyNegate)`,
      );
    }
  });

  it("on the loop, passes the same args object each call", async () => {
    const op = createStageOp(userModule, { path: fixture, export: "scale", args: { factor: 2 } }, buildContext(here, "loop")) as (
      item: unknown,
      context: OpContext,
    ) => Promise<unknown>;
    const context: OpContext = { signal: new AbortController().signal, stage: "module" };
    expect(await Promise.all([op(1, context), op(2, context)])).toEqual([
      { value: 2, onMainThread: true },
      { value: 4, onMainThread: true },
    ]);
  });
});
