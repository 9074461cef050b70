import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { catalog } from "../../engine/ops/index.js";
import type { OpDefinition, StageOpDefinition } from "../../engine/ops/index.js";
import type { ExitCode } from "./exitCodes.js";
import type { InterruptHandlers, InterruptSignal, InterruptSource } from "./interrupts.js";
import type { CliIo } from "./output.js";
import { runCommand, type RunOptions } from "./runCommand.js";
import { userCodeModules, userCodeNotice } from "./loadFile.js";

/** `run` in-process, where a test can see the order of events and press Ctrl-C on cue. */

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "pipeline-run-"));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function writePipeline(name: string, middle: Record<string, unknown>, count: number): Promise<string> {
  const path = join(folder, `${name}.pipeline.json`);
  const nodes = [
    { id: "numbers", kind: "source", op: "range", params: { count } },
    { id: "work", kind: "stage", ...middle },
    { id: "out", kind: "sink" },
  ];
  const edges = [
    { from: "numbers", to: "work" },
    { from: "work", to: "out" },
  ];
  await writeFile(path, JSON.stringify({ format: "pipeline-studio/1", nodes, edges }));
  return path;
}

/** Captures what the CLI writes, in one timeline with whatever else the test logs. */
function recordingIo(timeline: string[]): CliIo & { stdoutText: () => string; stderrText: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdout: { write: (text: string) => (out.push(text), timeline.push(`stdout: ${text}`)) },
    stderr: { write: (text: string) => (err.push(text), timeline.push(`stderr: ${text}`)), isTTY: false },
    stdoutText: () => out.join(""),
    stderrText: () => err.join(""),
  };
}

function fakeInterrupts(): {
  source: InterruptSource;
  press: (signal?: InterruptSignal) => void;
  subscribed: () => boolean;
  listening: Promise<void>;
} {
  let handlers: InterruptHandlers | undefined;
  let presses = 0;
  let heard: () => void = () => undefined;
  const listening = new Promise<void>((resolve) => (heard = resolve));
  return {
    listening,
    source: (given) => {
      handlers = given;
      heard();
      return () => (handlers = undefined);
    },
    press: (signal = "SIGINT") => (++presses === 1 ? handlers?.first(signal) : handlers?.second(signal)),
    subscribed: () => handlers !== undefined,
  };
}

const options = (fields: Partial<RunOptions> = {}): RunOptions => ({ set: [], json: false, progress: false, ...fields });

describe("user code", () => {
  it("prints which modules run on stderr before the first call, and never waits for an answer", async () => {
    const timeline: string[] = [];
    // A stand-in for the catalog's module op: compile() reports a "module" op's path as user code.
    const userModule: StageOpDefinition<{ path: string }> = {
      name: "module",
      kind: "stage",
      category: "user code",
      execution: "loop",
      description: "test double",
      synonyms: [],
      params: z.strictObject({ path: z.string() }),
      createOp: () => async (item: unknown) => {
        timeline.push("call");
        return item;
      },
    };
    const withModule = new Map<string, OpDefinition>([...catalog, ["module", userModule]]);
    const file = await writePipeline("user-code", { op: "module", params: { path: "lib/transform.mjs" } }, 5);
    const io = recordingIo(timeline);
    const code = await runCommand(file, options(), { io, interrupts: fakeInterrupts().source, exitNow: () => {}, catalog: withModule });

    expect(code).toBe(0);
    expect(timeline[0]).toBe(`stderr: This pipeline runs code from ${join(folder, "lib/transform.mjs")}\n`);
    expect(timeline[1]).toBe("call");
    expect(timeline.filter((event) => event === "call")).toHaveLength(5);
    expect(io.stdoutText()).toMatch(/total: 5 items delivered .* — completed/);
  });

  it("a pipeline without user code prints no notice", async () => {
    const file = await writePipeline("plain", { op: "sleep", params: { ms: 1 } }, 3);
    const io = recordingIo([]);
    expect(await runCommand(file, options(), { io, interrupts: fakeInterrupts().source, exitNow: () => {} })).toBe(0);
    expect(io.stderrText()).toBe("");
  });

  it("shows module paths resolved against the pipeline file's folder, once each", () => {
    const modules = userCodeModules(["a.mjs", "/abs/b.js", "file:///c.mjs", "./a.mjs"], "/pipelines");
    expect(modules).toEqual(["/pipelines/a.mjs", "/abs/b.js", "file:///c.mjs"]);
    expect(userCodeNotice(modules)).toBe("This pipeline runs code from /pipelines/a.mjs, /abs/b.js, file:///c.mjs");
    expect(userCodeNotice([])).toBeUndefined();
  });
});

describe("Ctrl-C", () => {
  const longRun = () => writePipeline("long", { op: "sleep", params: { ms: 10 }, concurrency: 4 }, 1_000_000);

  it("the first stops the pipeline cleanly: the report is still printed, exit 130, the listener released", async () => {
    const interrupts = fakeInterrupts();
    const io = recordingIo([]);
    const exits: ExitCode[] = [];
    const running = runCommand(await longRun(), options({ json: true }), {
      io,
      interrupts: interrupts.source,
      exitNow: (code) => exits.push(code),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    interrupts.press();
    expect(await running).toBe(130);
    expect(exits).toEqual([]);
    expect(io.stderrText()).toBe("Stopping… (press Ctrl-C again to quit at once)\n");
    const report = JSON.parse(io.stdoutText());
    expect(report.outcome).toBe("stopped");
    expect(report.stats.state).toBe("stopped");
    expect(report.itemsDelivered).toBeGreaterThan(0);
    expect(report.stats.stages.find((stage: { name: string }) => stage.name === "work").inFlight).toBe(0);
    expect(interrupts.subscribed()).toBe(false);
  });

  it("a second one exits at once", async () => {
    const interrupts = fakeInterrupts();
    const exits: ExitCode[] = [];
    const running = runCommand(await longRun(), options(), {
      io: recordingIo([]),
      interrupts: interrupts.source,
      exitNow: (code) => exits.push(code),
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    interrupts.press();
    interrupts.press();
    expect(exits).toEqual([130]);
    // In a real process exitNow never returns; here the run still winds down on its own.
    expect(await running).toBe(130);
  });

  it("SIGTERM does what Ctrl-C does, with exit 143; a second signal exits at once", async () => {
    const interrupts = fakeInterrupts();
    const io = recordingIo([]);
    const exits: ExitCode[] = [];
    const running = runCommand(await longRun(), options({ json: true }), {
      io,
      interrupts: interrupts.source,
      exitNow: (code) => exits.push(code),
    });
    // Listening starts right before the run does.
    await interrupts.listening;
    interrupts.press("SIGTERM");
    interrupts.press("SIGTERM");
    expect(exits).toEqual([143]);
    expect(await running).toBe(143);
    expect(io.stderrText()).toBe("Stopping on SIGTERM… (a second signal quits at once)\n");
    expect(JSON.parse(io.stdoutText())).toMatchObject({ outcome: "stopped", stats: { state: "stopped" } });
  });
});
