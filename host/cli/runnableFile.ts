import { resolve } from "node:path";
import type { LoadedPipelineFile, SpecProblem } from "../../engine/spec/index.js";
import { ExitCode } from "./exitCodes.js";
import { interruptedExitCode, stoppingNotice, type InterruptSignal, type InterruptSource } from "./interrupts.js";
import { loadFile, problemsOf } from "./loadFile.js";
import { userCodeModules, userCodeNotice } from "./userCode.js";
import { compilePipeline } from "../../engine/spec/index.js";
import type { Output } from "./output.js";

/**
 * A pipeline file that can run, or the problems that stop it: printed on stderr, and handed
 * to `invalidDocument` for the one JSON document of --json.
 */
export async function loadRunnableFile(
  file: string,
  output: Output,
  invalidDocument: (path: string, problems: SpecProblem[]) => unknown,
): Promise<LoadedPipelineFile | null> {
  const { loaded, problems: loadProblems } = await loadFile(file);
  let problems = loadProblems;
  if (loaded && problems.length === 0) {
    try {
      // Profile and tune run the pipeline's code as `run` does, so they say so before, as it does.
      const notice = userCodeNotice(userCodeModules(compilePipeline(loaded.spec, { baseDir: loaded.baseDir }).userCode, loaded.baseDir));
      if (notice) output.notice(notice);
      return loaded;
    } catch (error) {
      // An op's factory refused a value the schema let through: a file problem all the same.
      problems = problemsOf(error);
    }
  }
  output.problems(problems);
  if (output.json) output.document(invalidDocument(loaded?.path ?? resolve(file), problems));
  return null;
}

/**
 * Aborts on the first Ctrl-C or SIGTERM (the abort's reason is the signal); the second quits at
 * once. Returns the signal and the unsubscribe.
 */
export function abortOnInterrupt(
  interrupts: InterruptSource,
  output: Output,
  exitNow: (code: ExitCode) => void,
): { signal: AbortSignal; unsubscribe: () => void } {
  const controller = new AbortController();
  const unsubscribe = interrupts({
    first: (signal) => {
      output.notice(stoppingNotice(signal));
      controller.abort(signal);
    },
    second: (signal) => exitNow(interruptedExitCode(signal)),
  });
  return { signal: controller.signal, unsubscribe };
}

/** A profile or tune that ended early: stopped by Ctrl-C (130) or SIGTERM (143), or failed (1); said on stderr and in the JSON document. */
export function reportFailure(
  output: Output,
  error: unknown,
  signal: AbortSignal,
  stoppedMessage: string,
  documentFor: (outcome: "stopped" | "failed", message: string) => unknown,
): ExitCode {
  const stopped = signal.aborted;
  const message = stopped ? stoppedMessage : (problemsOf(error)[0]?.message ?? String(error));
  output.notice(`error: ${message}`);
  if (output.json) output.document(documentFor(stopped ? "stopped" : "failed", message));
  return stopped ? interruptedExitCode(signal.reason as InterruptSignal) : ExitCode.failure;
}
