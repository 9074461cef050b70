/**
 * StudioApi: the one typed protocol between the renderer and the host. The Electron adapter
 * (ipcMain / contextBridge) and the browser adapter (WebSocket) both carry exactly these
 * requests and events, so the renderer is the same over either transport. Types only: the
 * renderer imports this module and nothing else from the host.
 */
import type { OpDescription } from "../engine/ops/index.js";
import type { PipelineFile, PipelineFileInput, SpecProblem } from "../engine/spec/index.js";
import type { PipelineSnapshot } from "../engine/stats/snapshot.js";
import type {
  BottleneckVerdict,
  ProfileResult,
  ProfileStep,
  StageProfile,
  TuneGoalOutcome,
  TuneObjective,
  TunePoint,
  TuneResult,
  TuneSettings,
  TuneTrial,
} from "../engine/analysis/index.js";

export type {
  OpDescription,
  PipelineFile,
  PipelineFileInput,
  SpecProblem,
  PipelineSnapshot,
  BottleneckVerdict,
  ProfileResult,
  ProfileStep,
  StageProfile,
  TuneGoalOutcome,
  TuneObjective,
  TunePoint,
  TuneResult,
  TuneSettings,
  TuneTrial,
};
import type { ComparisonRow, RunOutcome, RunReport, RunSummary } from "../engine/analysis/index.js";
import type { SaveTarget } from "./savePath.js";
export type { ComparisonRow, RunOutcome, RunReport, RunSummary, SaveTarget };

/** A pipeline as opened in the app: the file's content, where it lives (null: never saved). */
export interface OpenedPipeline {
  spec: PipelineFile;
  path: string | null;
  /** Every problem of the file as it was read, each at its node where it has one. */
  problems: SpecProblem[];
  /**
   * True when the file's format was refused (but it is JSON): it is drawn with the refused values
   * taken out (defaults in their place) so it can be fixed; `problems` says what was wrong.
   */
  repaired?: boolean;
  /**
   * A file uploaded from the browser (it has no path the host knows): its name as uploaded, and
   * the folder its relative paths resolve against (the folder the app was started in).
   */
  uploaded?: { name: string; baseDir: string };
}

export interface ExampleInfo {
  name: string;
  title: string;
  description: string;
  path: string;
}

export interface ValidationReport {
  runnable: boolean;
  problems: SpecProblem[];
  /**
   * Modules of user code the pipeline would run: the app asks before it runs them and sends the
   * ones confirmed as allowUserCode (startRun, profile, autoTune); the host runs no others.
   */
  userCode: string[];
}

export interface FailureView {
  stage: string;
  errorName: string;
  message: string;
  itemPreview: string;
  attempts: number;
  atMs: number;
}

export interface RunEnded {
  runId: string;
  outcome: RunOutcome;
  /** The pipeline's error, naming the stage, when it failed. */
  error: { stage: string | null; message: string } | null;
  snapshot: PipelineSnapshot;
  /** The verdict over the whole run (the final snapshot against the start), as the CLI prints it. */
  bottleneck?: BottleneckVerdict | null;
  /** The run's report, as listRuns names it (beside the pipeline file, or in memory when unsaved). */
  reportId?: string | null;
  /** Why the report is kept in memory only (it could not be written beside the file). */
  reportNotice?: string | null;
}

/** The open pipeline's recent runs, newest first; notices name report files that were skipped. */
export interface RunList {
  /** The runs folder beside the pipeline file; null for a pipeline never saved. */
  folder: string | null;
  runs: RunSummary[];
  notices: string[];
}

export interface RunComparison {
  a: RunSummary;
  b: RunSummary;
  rows: ComparisonRow[];
}

/** What the host is busy with: one thing at a time, the same for every page connected. */
export type ActivityKind = "run" | "tune" | "profile";

/** The run in progress as a page that connects needs it: the graph it started with, and where it is now. */
export interface RunInProgress {
  runId: string;
  /** The pipeline the run was started with (the graph that runs). */
  spec: PipelineFile;
  /** Its file (null: never saved, or a bundled example's copy). */
  path: string | null;
  /** The latest snapshot (null before the first, a few milliseconds in). */
  snapshot: PipelineSnapshot | null;
  bottleneck: BottleneckVerdict | null;
  /** Its sources repeat until Stop or Drain (demo mode, or auto-tune's run); absent: they do not. */
  repeatSources?: boolean;
}

/**
 * A profile or auto-tune in progress, with what it has measured so far: a page that connects
 * mid-way shows those and the ones that follow (profileStep / tuneTrial events).
 */
export type AnalysisInProgress =
  | {
      kind: "profile";
      /** The pipeline being profiled (a profile has no run to carry it). */
      spec: PipelineFile;
      path: string | null;
      options: { maxConcurrency: number; stepMs: number };
      steps: ProfileStep[];
    }
  | { kind: "tune"; trials: TuneTrial[] };

/** How a profile or auto-tune ended, told to every page (the page that asked also gets it as its answer). */
export type AnalysisEnded =
  | { kind: "profile"; result: ProfileResult | null; error: string | null }
  | { kind: "tune"; result: TuneResult | null; error: string | null };

/** The host's activity: null when idle; a profile has no run. */
export interface HostActivity {
  kind: ActivityKind | null;
  run: RunInProgress | null;
  /** The profile or auto-tune in progress and its measurements so far (absent or null: none). */
  analysis?: AnalysisInProgress | null;
}

/** Requests: each method's params and result. */
export interface StudioRequests {
  newPipeline: { params: Record<string, never>; result: OpenedPipeline };
  openFile: { params: { path: string }; result: OpenedPipeline };
  openExample: { params: { name: string }; result: OpenedPipeline };
  /**
   * A pipeline file uploaded from the browser: its name and its bytes (base64), checked exactly as
   * an opened file (the same size limit, the same problems at JSON paths). It has no path here:
   * relative paths inside resolve against the folder the app was started in, and Save asks where.
   */
  openUpload: { params: { name: string; base64: string }; result: OpenedPipeline };
  /** The bytes Save would write for this pipeline (every field, a stable order): what Download gives. */
  fileText: { params: { spec: PipelineFileInput }; result: { text: string } };
  /** What a page opens first: the file named at launch (`npm start -- FILE`), else the seed example. */
  startupPipeline: { params: Record<string, never>; result: OpenedPipeline };
  listExamples: { params: Record<string, never>; result: ExampleInfo[] };
  listRecentFiles: { params: Record<string, never>; result: string[] };
  /**
   * path null: save to the pipeline's current path (Save); a path: Save As, resolved as
   * resolveSavePath says; a file already there is replaced only with overwrite: true.
   */
  saveFile: { params: { path: string | null; spec: PipelineFileInput; overwrite?: boolean }; result: { path: string } };
  /** Where Save As would write a typed name (relative: the current file's folder, or home), and whether a file is there. */
  resolveSavePath: { params: { path: string }; result: SaveTarget };
  getCatalog: { params: Record<string, never>; result: OpDescription[] };
  validate: { params: { spec: PipelineFileInput }; result: ValidationReport };
  exportCode: { params: { spec: PipelineFileInput; language: "ts" | "python" }; result: { code: string } };
  /**
   * allowUserCode: the user-code modules the user confirmed (ValidationReport.userCode); any other refuses the run.
   * localWorkers N (≥ 1): the remote stages run on a private Redis and N worker processes the host
   * starts for this run and stops after it (the app's `run --local-workers N`); 0 or absent: on the
   * pipeline's Redis.
   * repeatSources: demo mode, a run option never saved in the file: each source starts again when
   * it ends, so the run goes on until Stop or Drain (SPDL's continuous sources).
   */
  startRun: {
    params: { spec: PipelineFileInput; allowUserCode: string[]; localWorkers?: number; repeatSources?: boolean };
    result: { runId: string };
  };
  /** "abort": stop now; "drain": take no new source items, finish what is inside. */
  stopRun: { params: { mode: "abort" | "drain" }; result: Record<string, never> };
  pauseRun: { params: Record<string, never>; result: Record<string, never> };
  resumeRun: { params: Record<string, never>; result: Record<string, never> };
  setConcurrency: { params: { stage: string; concurrency: number }; result: Record<string, never> };
  setNumThreads: { params: { numThreads: number }; result: Record<string, never> };
  /** A remote stage's worker threads: the jobs each worker serving it runs at once (1–128), live. */
  setWorkerThreads: { params: { stage: string; threads: number }; result: Record<string, never> };
  getFailures: { params: Record<string, never>; result: FailureView[] };
  /**
   * The concurrency sweep: each stage alone at 1, 2, 4, … up to maxConcurrency, stepMs each;
   * `profileStep` events report each level. Not while a run is in progress (they would share the CPU).
   */
  profile: {
    params: {
      spec: PipelineFileInput;
      maxConcurrency: number;
      stepMs: number;
      allowUserCode: string[];
      localWorkers?: number;
      /** Only these stages (by id; absent: every stage): "profile this stage" from the canvas. */
      stages?: string[];
    };
    result: ProfileResult;
  };
  /**
   * Auto-tune on a live run of the pipeline (sources repeating): its runStats flow like any run's,
   * `tuneTrial` events report each measurement, the run stops when the search ends. A run in
   * progress is tuned as it runs (its code was confirmed when it started).
   */
  autoTune: {
    params: {
      spec: PipelineFileInput;
      budgetThreads: number;
      maxConcurrency: number;
      timeLimitS: number;
      /** Default: readiness when the sink has a consumer, else throughput. */
      objective?: TuneObjective;
      /** The readiness objective's target (default 0.99). */
      readiness?: number;
      /** The most CPU (a share of the machine) the settings may use; null or absent: no budget. */
      cpuBudget?: number | null;
      allowUserCode: string[];
      /** As startRun's: remote stages on local workers the host starts for the search. */
      localWorkers?: number;
    };
    result: TuneResult;
  };
  /** Stops a profile or an auto-tune in progress (its request then fails with "cancelled"). */
  cancelAnalysis: { params: Record<string, never>; result: Record<string, never> };
  /** The last items through the queue into `to` from `from` (edge ids are node ids). */
  peekEdge: { params: { from: string; to: string }; result: { items: string[] } };
  /** Run reports of the open pipeline (ids from listRuns; a compares as the baseline, b as the change). */
  listRuns: { params: Record<string, never>; result: RunList };
  getRun: { params: { id: string }; result: RunReport };
  compareRuns: { params: { a: string; b: string }; result: RunComparison };
  /**
   * What the host is doing now, for a page that connects (or reloads) while a run, profile or
   * auto-tune goes on; with the run's recent snapshots (oldest first, two a second, the charts'
   * five minutes) so its charts show the history too.
   */
  getActivity: { params: Record<string, never>; result: { activity: HostActivity; history: PipelineSnapshot[] } };
}

export type RequestName = keyof StudioRequests;
export type RequestParams<N extends RequestName> = StudioRequests[N]["params"];
export type RequestResult<N extends RequestName> = StudioRequests[N]["result"];

/** Events the host pushes. */
export type StudioEvent =
  /** ~10 Hz while running; the verdict judges the last second or so (null until a second has passed). */
  | { type: "runStats"; runId: string; snapshot: PipelineSnapshot; bottleneck: BottleneckVerdict | null }
  | { type: "runEnded"; ended: RunEnded }
  /** The host's activity changed (a run, profile or auto-tune started or ended): every page shows the host's. */
  | { type: "activity"; activity: HostActivity }
  | { type: "profileStep"; step: ProfileStep }
  | { type: "tuneTrial"; runId: string; trial: TuneTrial }
  | { type: "analysisEnded"; ended: AnalysisEnded }
  /** From the native menu (Electron): the renderer performs the command. */
  | { type: "menuCommand"; command: MenuCommand };

export type MenuCommand =
  | "new"
  | "open"
  | "save"
  | "saveAs"
  | "exportTs"
  | "exportPython"
  | "undo"
  | "redo"
  | "run"
  | "stop"
  /** Open the Profile / Auto-tune panel, the Runs dialog. */
  | "profile"
  | "autoTune"
  | "runs"
  /** Show the Keyboard shortcuts dialog (Help menu). */
  | "shortcuts"
  | { openExample: string }
  /** A file chosen in the native Open dialog. */
  | { openFile: string }
  /** A path chosen in the native Save As dialog. */
  | { saveAs: string };

/** What the renderer holds: call a request, listen to events. Both transports implement it. */
export interface StudioApi {
  request<N extends RequestName>(name: N, params: RequestParams<N>): Promise<RequestResult<N>>;
  onEvent(listener: (event: StudioEvent) => void): () => void;
}

/** Wire format (WebSocket frames and IPC payloads). */
export type ClientMessage = { kind: "request"; id: number; name: RequestName; params: unknown };
export type ServerMessage =
  | { kind: "response"; id: number; ok: true; result: unknown }
  | { kind: "response"; id: number; ok: false; error: { name: string; message: string; problems?: SpecProblem[] } }
  | { kind: "event"; event: StudioEvent };
