import { readdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describeCatalog } from "../engine/ops/index.js";
import { exportPython, exportTypeScript } from "../engine/spec/export/index.js";
import {
  compilePipeline,
  inspectPipelineBytes,
  inspectPipelineFile,
  parsePipelineFileOrThrow,
  savePipelineFile,
  serializePipelineFile,
  validatePipelineFile,
  type PipelineFile,
  type PipelineFileInput,
} from "../engine/spec/index.js";
import { parseFileParts } from "../engine/spec/parse.js";
import { SpecError, type SpecProblem } from "../engine/spec/problems.js";
import { JsonSyntaxError, parseJson } from "../engine/util/parseJson.js";
import { readRegularTextFile } from "../engine/util/readRegularFile.js";
import type {
  ExampleInfo,
  HostActivity,
  OpenedPipeline,
  RequestName,
  RequestParams,
  RequestResult,
  StudioEvent,
  ValidationReport,
} from "./protocol.js";
import { drawableSpec } from "./drawableFile.js";
import { RecentFiles } from "./recentFiles.js";
import { RunHistory } from "./runHistory.js";
import { resolveSavePath, type SavePathContext } from "./savePath.js";
import { SessionAnalysis } from "./sessionAnalysis.js";
import { SessionRuns, type RunOrigin } from "./sessionRuns.js";
import { requireConfirmedUserCode } from "./userCodeConsent.js";

const EXAMPLES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), hostRootToRepo(), "examples");

/** From this module's folder (host/ in source, dist/host/ when built) to the repository root. */
function hostRootToRepo(): string {
  return import.meta.url.includes("/dist/host/") ? "../.." : "..";
}

export interface SessionOptions {
  examplesDir?: string;
  recentFiles?: RecentFiles;
  /** The pipeline file named at launch (`npm start -- FILE`), absolute; a page opens it first. */
  launchFile?: string | null;
  /**
   * The folder the app was started in (default: the working directory): relative paths in a
   * pipeline with no file (new, uploaded from the browser) resolve against it.
   */
  startDir?: string;
}

/** What a page opens first when no file was named at launch. */
const SEED_EXAMPLE = "seed-download-preprocess";

/**
 * The host's session: the open pipeline (its file, validation, export), the examples and recent
 * files; its runs (sessionRuns.ts) and its profile and auto-tune (sessionAnalysis.ts). It answers
 * every StudioApi request by name and pushes their events. Transport-neutral: the WebSocket
 * server and the Electron IPC handlers are thin adapters over handle() and onEvent().
 */
export class StudioSession {
  private currentPath: string | null = null;
  private readonly listeners = new Set<(event: StudioEvent) => void>();
  private readonly examplesDir: string;
  private readonly launchFile: string | null;
  private readonly startDir: string;
  private readonly recent: RecentFiles;
  private readonly runHistory: RunHistory;
  private readonly runs: SessionRuns;
  private readonly analysis: SessionAnalysis;

  constructor(options: SessionOptions = {}) {
    this.examplesDir = options.examplesDir ?? EXAMPLES_DIR;
    this.launchFile = options.launchFile ?? null;
    this.startDir = resolve(options.startDir ?? process.cwd());
    this.recent = options.recentFiles ?? new RecentFiles();
    this.runHistory = new RunHistory({ memoryOnlyUnder: this.examplesDir });
    const emit = (event: StudioEvent) => this.emit(event);
    const changed = () => this.emit({ type: "activity", activity: this.activity() });
    this.runs = new SessionRuns(this.runHistory, emit, changed);
    this.analysis = new SessionAnalysis({ runs: this.runs, origin: () => this.origin(), emit, changed });
  }

  onEvent(listener: (event: StudioEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Dispatches one request by name; params are checked by each handler. */
  async handle<N extends RequestName>(name: N, params: RequestParams<N>): Promise<RequestResult<N>> {
    const handler = this.handlers[name] as (params: RequestParams<N>) => Promise<RequestResult<N>>;
    if (!handler) throw new Error(`unknown request '${String(name)}'`);
    return handler(params);
  }

  /** Stops a run in progress (the app is closing). */
  async close(): Promise<void> {
    this.analysis.cancel();
    await this.runs.close();
    await this.analysis.settled;
  }

  private readonly handlers: { [N in RequestName]: (params: RequestParams<N>) => Promise<RequestResult<N>> } = {
    newPipeline: async () => {
      this.currentPath = null;
      return { spec: parsePipelineFileOrThrow({ format: "pipeline-studio/1", nodes: [], edges: [] }), path: null, problems: [] };
    },
    openFile: async ({ path }) => this.open(requireString(path, "path")),
    openExample: async ({ name }) => {
      const examples = await this.listExamples();
      const example = examples.find((candidate) => candidate.name === name);
      if (!example) throw new Error(`no example named '${name}' (examples: ${examples.map((e) => e.name).join(", ")})`);
      return this.open(example.path);
    },
    openUpload: async ({ name, base64 }) => this.openUpload(requireString(name, "name"), base64),
    fileText: async ({ spec }) => ({ text: serializePipelineFile(parsePipelineFileOrThrow(spec)) }),
    startupPipeline: async () => (this.launchFile ? this.open(this.launchFile) : this.handlers.openExample({ name: SEED_EXAMPLE })),
    listExamples: async () => this.listExamples(),
    listRecentFiles: async () => this.recent.list(),
    saveFile: async ({ path, spec, overwrite }) => {
      const target = path === null ? this.currentPath : await this.saveAsTarget(path, overwrite ?? false);
      if (!target) throw new Error("this pipeline has not been saved yet: choose a file name (Save As)");
      const saved = await savePipelineFile(target, parsePipelineFileOrThrow(spec));
      if (this.currentPath === null) await this.runHistory.adoptUnsaved(saved);
      this.currentPath = saved;
      await this.recent.add(saved);
      return { path: saved };
    },
    resolveSavePath: async ({ path }) => resolveSavePath(requireString(path, "path"), this.savePathContext()),
    getCatalog: async () => describeCatalog(),
    validate: async ({ spec }) => this.validate(spec),
    exportCode: async ({ spec, language }) => {
      const parsed = parsePipelineFileOrThrow(spec);
      const options = { baseDir: this.baseDir(), file: this.currentPath ?? undefined };
      return { code: language === "python" ? exportPython(parsed, options) : exportTypeScript(parsed, options) };
    },
    startRun: async ({ spec, allowUserCode, localWorkers, repeatSources }) =>
      this.startRun(spec, allowUserCode, { localWorkers: localWorkers ?? 0, repeatSources: repeatSources ?? false }),
    stopRun: async ({ mode }) => {
      const run = this.runs.require();
      // Stopping an auto-tune's run ends the search too.
      this.analysis.cancel();
      if (mode === "drain") run.pipeline.drain();
      else await run.pipeline.stop();
      return {};
    },
    pauseRun: async () => {
      this.analysis.requireKnobsFree();
      this.runs.require().pipeline.pause();
      return {};
    },
    resumeRun: async () => {
      this.analysis.requireKnobsFree();
      this.runs.require().pipeline.resume();
      return {};
    },
    setConcurrency: async ({ stage, concurrency }) => {
      this.analysis.requireKnobsFree();
      this.runs.require().pipeline.setConcurrency(stage, concurrency);
      return {};
    },
    setNumThreads: async ({ numThreads }) => {
      this.analysis.requireKnobsFree();
      this.runs.require().pipeline.setNumThreads(numThreads);
      return {};
    },
    setWorkerThreads: async ({ stage, threads }) => {
      this.analysis.requireKnobsFree();
      this.runs.require().pipeline.setWorkerThreads(stage, threads);
      return {};
    },
    getFailures: async () => this.runs.failures(),
    profile: async ({ spec, maxConcurrency, stepMs, allowUserCode, localWorkers, stages }) =>
      this.analysis.profile(this.confirmedSpec(spec, allowUserCode), maxConcurrency, stepMs, localWorkers ?? 0, stages),
    autoTune: async ({ spec, allowUserCode, localWorkers, ...request }) =>
      this.analysis.autoTune({ ...request, localWorkers: localWorkers ?? 0 }, () => this.confirmedSpec(spec, allowUserCode)),
    cancelAnalysis: async () => {
      this.analysis.cancel();
      return {};
    },
    peekEdge: async ({ from, to }) => this.runs.peekEdge(from, to),
    listRuns: async () => this.runHistory.list(this.currentPath),
    getRun: async ({ id }) => this.runHistory.get(this.currentPath, id),
    compareRuns: async ({ a, b }) => this.runHistory.compare(this.currentPath, a, b),
    getActivity: async () => ({ activity: this.activity(), history: this.runs.current?.trail.history() ?? [] }),
  };

  /** What the host is busy with: every page shows this, whichever page started it. */
  private activity(): HostActivity {
    const run = this.runs.current;
    const analysing = this.analysis.kind;
    return {
      kind: analysing ?? (run ? "run" : null),
      run: run && {
        runId: run.id,
        spec: run.spec,
        path: run.path,
        snapshot: run.trail.latest,
        bottleneck: run.bottleneck,
        repeatSources: run.repeatSources,
      },
      analysis: this.analysis.progress,
    };
  }

  private async open(path: string): Promise<OpenedPipeline> {
    const { loaded, problems } = await inspectPipelineFile(path);
    if (!loaded) return this.openToFix(resolve(path), problems);
    this.currentPath = loaded.path;
    await this.recent.add(loaded.path);
    return { spec: loaded.spec, path: loaded.path, problems };
  }

  /**
   * A file the schema refused (but JSON) opens to be fixed: drawn with what it refused taken out
   * (defaults in their place), every problem said, each at its node. One with nothing drawable
   * left opens nowhere, with every problem said.
   */
  private async openToFix(path: string, problems: SpecProblem[]): Promise<OpenedPipeline> {
    const spec = repairedSpec(parseJson(await readRegularTextFile(path)), problems, path);
    this.currentPath = path;
    await this.recent.add(path);
    return { spec, path, problems, repaired: true };
  }

  /** An uploaded file: checked as an opened one; with no path, its relative paths resolve against the start folder. */
  private async openUpload(name: string, base64: string): Promise<OpenedPipeline> {
    const label = `${name} (uploaded)`;
    const inspected = inspectPipelineBytes(Buffer.from(base64, "base64"), { label, baseDir: this.startDir });
    const uploaded = { name, baseDir: this.startDir };
    const spec = inspected.spec ?? repairedSpec(inspected.raw, inspected.problems, label);
    this.currentPath = null;
    return { spec, path: null, problems: inspected.problems, uploaded, ...(inspected.spec ? {} : { repaired: true }) };
  }

  /** Save As's file: resolved as the dialog showed it; one already there only when the user said to replace it. */
  private async saveAsTarget(path: string, overwrite: boolean): Promise<string> {
    const target = await resolveSavePath(requireString(path, "path"), this.savePathContext());
    if (target.exists && !overwrite) throw new Error(`${target.path} already exists: confirm to replace it`);
    return target.path;
  }

  private savePathContext(): SavePathContext {
    return { currentPath: this.currentPath, examplesDir: this.examplesDir };
  }

  private async listExamples(): Promise<ExampleInfo[]> {
    const names = (await readdir(this.examplesDir)).filter((name) => name.endsWith(".pipeline.json")).sort();
    return Promise.all(names.map((file) => this.readExample(file)));
  }

  private async readExample(file: string): Promise<ExampleInfo> {
    const path = join(this.examplesDir, file);
    let raw: { name?: string; description?: string };
    try {
      raw = parseJson(await readRegularTextFile(path)) as typeof raw;
    } catch (error) {
      // A FileReadError names the file already; a JSON error says only where in it.
      throw error instanceof JsonSyntaxError ? new Error(`example ${path}: ${error.message}`) : error;
    }
    return { name: file.replace(/\.pipeline\.json$/, ""), title: raw.name ?? file, description: raw.description ?? "", path };
  }

  private validate(spec: PipelineFileInput): ValidationReport {
    const { spec: parsed, problems } = validatePipelineFile(spec, { baseDir: this.baseDir() });
    if (!parsed || problems.length > 0) return { runnable: false, problems, userCode: [] };
    try {
      return { runnable: true, problems: [], userCode: compilePipeline(parsed, { baseDir: this.baseDir() }).userCode };
    } catch (error) {
      if (error instanceof SpecError) return { runnable: false, problems: error.problems, userCode: [] };
      return { runnable: false, problems: [{ path: "$", message: (error as Error).message }], userCode: [] };
    }
  }

  private async startRun(
    spec: PipelineFileInput,
    allowUserCode: readonly string[] | undefined,
    { localWorkers, repeatSources }: { localWorkers: number; repeatSources: boolean },
  ): Promise<{ runId: string }> {
    this.analysis.requireIdle();
    const parsed = this.confirmedSpec(spec, allowUserCode);
    // A demo run is a run like any other: its report is kept for Runs.
    const options = { repeatSources, keepReport: true };
    const remoteStages = parsed.nodes.filter((node) => node.runOn === "remote").map((node) => `'${node.id}'`);
    // Local workers serve remote stages only: a pipeline without one runs as it is.
    if (remoteStages.length > 0 && localWorkers > 0) {
      return { runId: (await this.runs.launchOnLocalWorkers(parsed, this.origin(), localWorkers, options)).id };
    }
    if (remoteStages.length > 0 && !process.env.PIPELINE_STUDIO_REDIS && !parsed.build.remote?.redis) {
      throw new Error(
        `${remoteStages.join(", ")} ${remoteStages.length === 1 ? "runs" : "run"} on remote workers: name the pipeline's Redis (with nothing selected, "Redis for remote stages"), or run on local workers ("local workers for remote stages")`,
      );
    }
    return { runId: this.runs.launch(parsed, this.origin(), options).id };
  }

  /** The request's pipeline, parsed, once every user-code module in it was confirmed by the user (see userCodeConsent.ts). */
  private confirmedSpec(spec: PipelineFileInput, allowUserCode: readonly string[] | undefined): PipelineFile {
    const parsed = parsePipelineFileOrThrow(spec);
    requireConfirmedUserCode(compilePipeline(parsed, { baseDir: this.baseDir() }).userCode, allowUserCode ?? []);
    return parsed;
  }

  private origin(): RunOrigin {
    return { baseDir: this.baseDir(), path: this.currentPath };
  }

  private baseDir(): string {
    return this.currentPath ? dirname(this.currentPath) : this.startDir;
  }

  private emit(event: StudioEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** A refused file's drawable part (what the schema refused taken out); none left: a SpecError with every problem. */
function repairedSpec(raw: unknown, problems: SpecProblem[], file: string): PipelineFile {
  const parts = parseFileParts(raw);
  const spec = parts.spec ?? (parts.value && drawableSpec(parts.value));
  if (!spec) throw new SpecError(problems, file);
  return spec;
}

function requireString(value: unknown, name: string): string {
  if (typeof value !== "string" || value.length === 0) throw new Error(`${name} must be a non-empty string`);
  return value;
}
