import { create } from "zustand";
import { DEFAULT_READINESS_TARGET } from "../../engine/analysis/tuneGoal.js";
import type { AnalysisEnded, AnalysisInProgress, ProfileResult, ProfileStep, TuneObjective, TuneResult, TuneTrial } from "../api/types.js";
import { toSpec } from "../graph/model.js";
import { useDocument } from "./document.js";
import { errorText, guarded, hostApi, requireApi } from "./hostConnection.js";
import { isRunning, resetRunView, useRun } from "./run.js";
import { localWorkersOption } from "./runOptions.js";
import { confirmUserCode } from "./validation.js";

export type AnalysisKind = "profile" | "tune";
export type AnalysisStatus = "idle" | "running" | "done" | "failed";

export interface ProfileOptions {
  maxConcurrency: number;
  stepMs: number;
}

export interface TuneOptions {
  budgetThreads: number;
  maxConcurrency: number;
  timeLimitS: number;
  /** "auto": readiness when the sink has a consumer, else throughput. */
  objective: "auto" | TuneObjective;
  /** The readiness objective's target, a share above 0 and at most 1. */
  readiness: number;
  /** The most CPU the settings may use, a share of the machine; null: no budget. */
  cpuBudget: number | null;
}

interface AnalysisState {
  /** The panel on show (null: closed). */
  panel: AnalysisKind | null;
  profileOptions: ProfileOptions;
  tuneOptions: TuneOptions;
  profile: { status: AnalysisStatus; steps: ProfileStep[]; result: ProfileResult | null; error: string | null };
  tune: { status: AnalysisStatus; trials: TuneTrial[]; result: TuneResult | null; error: string | null; applied: boolean };
  /**
   * The analysis on show that this page did not ask for (another page's, or one under way before
   * a reload): its end comes as the host's analysisEnded event, not as an answer.
   */
  adopted: AnalysisKind | null;
  setPanel(panel: AnalysisKind | null): void;
  setProfileOptions(patch: Partial<ProfileOptions>): void;
  setTuneOptions(patch: Partial<TuneOptions>): void;
}

/** Browser and Electron run on the host's machine, so its cores are a fair default thread budget. */
const machineThreads = (): number => Math.max(1, Math.min(64, globalThis.navigator?.hardwareConcurrency ?? 2));

export const useAnalysis = create<AnalysisState>()((set) => ({
  panel: null,
  profileOptions: { maxConcurrency: 32, stepMs: 1000 },
  tuneOptions: {
    budgetThreads: machineThreads(),
    maxConcurrency: 32,
    timeLimitS: 25,
    objective: "auto",
    readiness: DEFAULT_READINESS_TARGET,
    cpuBudget: null,
  },
  profile: { status: "idle", steps: [], result: null, error: null },
  tune: { status: "idle", trials: [], result: null, error: null, applied: false },
  adopted: null,
  setPanel: (panel) => set({ panel }),
  setProfileOptions: (patch) => set((state) => ({ profileOptions: { ...state.profileOptions, ...patch } })),
  setTuneOptions: (patch) => set((state) => ({ tuneOptions: { ...state.tuneOptions, ...patch } })),
}));

export const isAnalysing = (): boolean => {
  const { profile, tune } = useAnalysis.getState();
  return profile.status === "running" || tune.status === "running";
};

export function onProfileStep(step: ProfileStep): void {
  const { profile } = useAnalysis.getState();
  if (profile.status === "running") useAnalysis.setState({ profile: { ...profile, steps: [...profile.steps, step] } });
}

export function onTuneTrial(trial: TuneTrial): void {
  const { tune } = useAnalysis.getState();
  if (tune.status === "running") useAnalysis.setState({ tune: { ...tune, trials: [...tune.trials, trial] } });
}

/**
 * The host's profile or auto-tune in progress, shown as if this page had started it: what it has
 * measured so far, then each step or trial as it comes. One this page is running already stays
 * as it is; none in progress ends one shown that way (its end was missed).
 */
export function showHostAnalysis(analysis: AnalysisInProgress | null | undefined): void {
  const state = useAnalysis.getState();
  if (!analysis) {
    if (state.adopted === "profile") useAnalysis.setState({ adopted: null, profile: { ...state.profile, status: "done" } });
    if (state.adopted === "tune") useAnalysis.setState({ adopted: null, tune: { ...state.tune, status: "done" } });
    return;
  }
  if (state[analysis.kind].status === "running") return;
  if (analysis.kind === "profile") {
    useAnalysis.setState({
      panel: "profile",
      adopted: "profile",
      profileOptions: analysis.options,
      profile: { status: "running", steps: analysis.steps, result: null, error: null },
    });
  } else {
    useAnalysis.setState({
      panel: "tune",
      adopted: "tune",
      tune: { status: "running", trials: analysis.trials, result: null, error: null, applied: false },
    });
  }
}

/**
 * How the host's profile or auto-tune ended. The page that asked has it as the answer; a page
 * that adopted it shows it here, and puts a tune's settings into its graph when it is the graph
 * that was tuned (one undo step, as for the page that asked).
 */
export function onAnalysisEnded(ended: AnalysisEnded): void {
  const state = useAnalysis.getState();
  if (state.adopted !== ended.kind) return;
  const status: AnalysisStatus = ended.error === null ? "done" : "failed";
  if (ended.kind === "profile") {
    useAnalysis.setState({ adopted: null, profile: { ...state.profile, status, result: ended.result, error: ended.error } });
    return;
  }
  const result = ended.result;
  let applied = false;
  if (result !== null && tunedThisGraph(result)) {
    useDocument.getState().applySettings(result.after.settings);
    applied = true;
  }
  useAnalysis.setState({ adopted: null, tune: { ...state.tune, status, result, error: ended.error, applied } });
}

/** The settings name this document's stages (all of them): it is the graph that was tuned. */
function tunedThisGraph(result: TuneResult): boolean {
  const ids = new Set(useDocument.getState().nodes.map((node) => node.id));
  return Object.keys(result.after.settings.concurrency).every((stage) => ids.has(stage));
}

/** A profile needs the machine to itself; auto-tune may take over the run in progress. */
function canStart(kind: AnalysisKind): boolean {
  return hostApi() !== null && !isAnalysing() && (kind === "tune" || !isRunning(useRun.getState().status));
}

/** The concurrency sweep of the pipeline as drawn (or of `stages` only); levels arrive as profileStep events. */
export async function runProfile(stages?: string[]): Promise<void> {
  if (!canStart("profile")) return;
  const allowUserCode = confirmUserCode("Profile it?");
  if (!allowUserCode) return;
  const { profileOptions } = useAnalysis.getState();
  useAnalysis.setState({ panel: "profile", profile: { status: "running", steps: [], result: null, error: null } });
  try {
    const result = await requireApi().request("profile", {
      spec: toSpec(useDocument.getState()),
      ...profileOptions,
      allowUserCode,
      ...localWorkersOption(),
      ...(stages ? { stages } : {}),
    });
    useAnalysis.setState((state) => ({ profile: { ...state.profile, status: "done", result } }));
  } catch (error) {
    useAnalysis.setState((state) => ({ profile: { ...state.profile, status: "failed", error: errorText(error) } }));
  }
}

/**
 * Auto-tune on a live run: the run in progress, or one of its own (sources repeating) that the
 * graph shows while the knobs move. When the search ends, the settings found go into the graph
 * as one undo step.
 */
export async function runAutoTune(): Promise<void> {
  if (!canStart("tune")) return;
  const allowUserCode = confirmUserCode("Auto-tune it?");
  if (!allowUserCode) return;
  const { tuneOptions } = useAnalysis.getState();
  const doc = useDocument.getState();
  const spec = toSpec(doc);
  const objective = tuneObjective(tuneOptions.objective, hasConsumer(spec));
  useAnalysis.setState({ panel: "tune", tune: { status: "running", trials: [], result: null, error: null, applied: false } });
  if (!isRunning(useRun.getState().status)) {
    const stages = doc.nodes.map((node) => node.id);
    resetRunView("starting", stages);
  }
  try {
    const { budgetThreads, maxConcurrency, timeLimitS, readiness, cpuBudget } = tuneOptions;
    const result = await requireApi().request("autoTune", {
      spec,
      budgetThreads,
      maxConcurrency,
      timeLimitS,
      objective,
      ...(objective === "readiness" ? { readiness } : {}),
      cpuBudget,
      allowUserCode,
      ...localWorkersOption(),
    });
    useDocument.getState().applySettings(result.after.settings);
    useAnalysis.setState((state) => ({ tune: { ...state.tune, status: "done", result, applied: true } }));
  } catch (error) {
    useAnalysis.setState((state) => ({ tune: { ...state.tune, status: "failed", error: errorText(error) } }));
    // A tune that never started a run leaves the view waiting for one.
    if (useRun.getState().status === "starting") useRun.setState({ status: "idle" });
  }
}

/** The sink stands for a consumer: readiness can be judged. */
export function hasConsumer(spec: { nodes: readonly { kind: string; consumer?: unknown }[] }): boolean {
  return spec.nodes.some((node) => node.kind === "sink" && node.consumer != null);
}

/** The objective a choice means for this pipeline: "auto" is readiness with a consumer, throughput without. */
export function tuneObjective(choice: TuneOptions["objective"], withConsumer: boolean): TuneObjective {
  return choice === "auto" ? (withConsumer ? "readiness" : "throughput") : choice;
}

export async function cancelAnalysis(): Promise<void> {
  await guarded(async () => hostApi()?.request("cancelAnalysis", {}));
}
