import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { builtModuleUrl } from "./builtModule.js";

const ENGINE = builtModuleUrl("../index.js", import.meta.url);
const OPS = builtModuleUrl("../testing/poolOps.js", import.meta.url);
const RUNS = 300;

describe("pool teardown", () => {
  // Before the worker file was CommonJS, tearing a pool down while its threads were still loading
  // the ES-module worker aborted the process (SIGABRT) in about 1 of 200 such runs.
  it(`${RUNS} tiny pool runs in one process, half stopped while the threads still load: none aborts the process`, async () => {
    const script = `
      import { PipelineBuilder, poolTask } from ${JSON.stringify(ENGINE)};
      const op = poolTask(${JSON.stringify(OPS)}, "identity");
      let delivered = 0;
      for (let run = 0; run < ${RUNS}; run++) {
        const pipeline = new PipelineBuilder().addSource([1]).pipe(op, { concurrency: 2 }).addSink().build({ numThreads: 8 });
        if (run % 2 === 0) {
          for await (const _ of pipeline) delivered++;
        } else {
          pipeline.start();
          await pipeline.stop();
        }
      }
      console.log("runs done", delivered);
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.on("exit", (code, signal) => resolve({ code, signal }));
    });
    expect(exit, output).toEqual({ code: 0, signal: null });
    expect(output.trim()).toBe(`runs done ${RUNS / 2}`);
  }, 180_000);
});
