import { toSpec } from "../graph/model.js";
import { useDocument } from "./document.js";
import { errorText, guarded, requireApi } from "./hostConnection.js";
import { showError } from "./notice.js";
import { useMetrics } from "./metrics.js";
import { isRunning, resetRunView, useRun } from "./run.js";
import { localWorkersOption } from "./runOptions.js";
import { confirmUserCode, useValidation } from "./validation.js";

/** The run commands: run, stop, drain, pause, resume; the knobs while running; the failure log; a queue's last items. */

export async function startRun(): Promise<void> {
  if (isRunning(useRun.getState().status)) return;
  const validation = useValidation.getState().report;
  if (validation && !validation.runnable) return;
  const allowUserCode = confirmUserCode("Run it?");
  if (!allowUserCode) return;
  const doc = useDocument.getState();
  const stages = doc.nodes.map((n) => n.id);
  resetRunView("starting", stages);
  try {
    const { runId } = await requireApi().request("startRun", { spec: toSpec(doc), allowUserCode, ...localWorkersOption() });
    const now = useRun.getState();
    if (now.status === "starting" || (now.status === "running" && !now.id)) useRun.setState({ id: runId, status: "running" });
    else if (!now.id) useRun.setState({ id: runId });
  } catch (error) {
    useRun.setState({ status: "idle" });
    // "a run is in progress: stop it first" and the like stop being true when the host's activity changes.
    showError(errorText(error), "hostActivity");
  }
}

export async function stopRun(mode: "abort" | "drain"): Promise<void> {
  await guarded(() => requireApi().request("stopRun", { mode }));
}

export async function setPaused(paused: boolean): Promise<void> {
  await guarded(() => requireApi().request(paused ? "pauseRun" : "resumeRun", {}));
}

/** While running, a knob applies at once. */
export async function liveConcurrency(stage: string, concurrency: number): Promise<void> {
  const run = useRun.getState();
  if (!isRunning(run.status) || !run.stages.includes(stage)) return;
  await applyKnob(
    `${stage}.concurrency`,
    () => requireApi().request("setConcurrency", { stage, concurrency }),
    () => {
      const engine = useMetrics.getState().stages[stage]?.concurrency;
      if (engine !== undefined) useDocument.getState().showRunValues({ concurrency: { [stage]: engine } });
      return engine;
    },
  );
}

export async function liveNumThreads(numThreads: number): Promise<void> {
  if (!isRunning(useRun.getState().status)) return;
  await applyKnob(
    "numThreads",
    () => requireApi().request("setNumThreads", { numThreads }),
    () => {
      const engine = useMetrics.getState().summary?.pool?.numThreads;
      if (engine !== undefined) useDocument.getState().showRunValues({ numThreads: engine });
      return engine;
    },
  );
}

/** A remote stage's worker threads: the jobs each worker serving it runs at once. */
export async function liveWorkerThreads(stage: string, threads: number): Promise<void> {
  const run = useRun.getState();
  if (!isRunning(run.status) || !run.stages.includes(stage)) return;
  await applyKnob(
    `${stage}.workerThreads`,
    () => requireApi().request("setWorkerThreads", { stage, threads }),
    () => useMetrics.getState().stages[stage]?.workerThreads ?? undefined,
  );
}

/**
 * Turns a knob of the run. Refused, the control goes back to what the engine has (`revert`
 * puts it there and returns it) and says why beside it; accepted, an earlier refusal's note goes.
 */
async function applyKnob(knob: string, request: () => Promise<unknown>, revert: () => number | undefined): Promise<void> {
  try {
    await request();
    if (useRun.getState().knobNote) useRun.setState({ knobNote: null });
  } catch (error) {
    const engine = revert();
    const keeps = engine === undefined ? "" : `; the run keeps ${engine}`;
    useRun.setState({ knobNote: { knob, text: `Not applied: ${errorText(error)}${keeps}` } });
  }
}

export async function loadFailures(): Promise<void> {
  const failures = await guarded(() => requireApi().request("getFailures", {}));
  // After a run ends the host may no longer hold its log: keep what was read while it ran.
  if (failures && (failures.length > 0 || !useRun.getState().ended)) useRun.setState({ failures });
}

export async function peekEdge(edgeId: string, from: string, to: string): Promise<void> {
  const result = await guarded(() => requireApi().request("peekEdge", { from, to }));
  if (result) useRun.setState({ peek: { edgeId, from, to, items: result.items } });
}
