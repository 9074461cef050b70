import { resolve, sep } from "node:path";
import { compareRuns, summarizeRunReport, type RunReport } from "../engine/analysis/index.js";
import type { RunComparison, RunList } from "./protocol.js";
import { KEEP_RUNS, listRunReports, readSavedRun, saveRunReport } from "./runReports.js";

/** Ids of reports held in memory; file ids are `*.run.json` names, so the two never clash. */
const MEMORY_ID = /^session-\d+$/;

interface RememberedRun {
  id: string;
  report: RunReport;
}

/**
 * The app's runs, per pipeline: saved beside the pipeline file when it has one, otherwise (or
 * when saving fails) held in memory for the session. A pipeline saved for the first time takes
 * its in-memory runs along into its runs folder. The bundled examples are templates: their runs
 * stay in memory rather than being written into the installed package.
 */
export class RunHistory {
  /** Keyed by pipeline path; null for the pipeline never saved. */
  private readonly memory = new Map<string | null, RememberedRun[]>();
  private counter = 0;
  private readonly memoryOnlyUnder: string | null;

  constructor(options: { memoryOnlyUnder?: string } = {}) {
    this.memoryOnlyUnder = options.memoryOnlyUnder ? resolve(options.memoryOnlyUnder) + sep : null;
  }

  /** Keeps a finished run's report; `notice` says why it is only in memory when a save failed. */
  async keep(pipelinePath: string | null, report: RunReport): Promise<{ id: string; notice: string | null }> {
    if (pipelinePath && !this.isMemoryOnly(pipelinePath)) {
      try {
        return { id: (await saveRunReport(pipelinePath, report)).id, notice: null };
      } catch (error) {
        const id = this.remember(pipelinePath, report);
        return {
          id,
          notice: `The run report could not be saved beside ${pipelinePath} (${(error as Error).message}); it is kept for this session only.`,
        };
      }
    }
    return { id: this.remember(pipelinePath, report), notice: null };
  }

  async list(pipelinePath: string | null): Promise<RunList> {
    const onDisk =
      pipelinePath && !this.isMemoryOnly(pipelinePath) ? await listRunReports(pipelinePath) : { folder: null, runs: [], notices: [] };
    const inMemory = (this.memory.get(pipelinePath) ?? []).map(({ id, report }) => summarizeRunReport(report, id, null));
    const runs = [...onDisk.runs, ...inMemory].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    return { folder: onDisk.folder, runs, notices: onDisk.notices };
  }

  async get(pipelinePath: string | null, id: string): Promise<RunReport> {
    if (MEMORY_ID.test(id)) {
      const found = this.memory.get(pipelinePath)?.find((run) => run.id === id);
      if (!found) throw new Error(`no run '${id}' in this session for ${pipelinePath ?? "this unsaved pipeline"}`);
      return found.report;
    }
    if (!pipelinePath || this.isMemoryOnly(pipelinePath)) throw new Error(`no run '${id}' in this session`);
    return readSavedRun(pipelinePath, id);
  }

  async compare(pipelinePath: string | null, idA: string, idB: string): Promise<RunComparison> {
    const [a, b] = await Promise.all([this.get(pipelinePath, idA), this.get(pipelinePath, idB)]);
    return { a: summarizeRunReport(a, idA, null), b: summarizeRunReport(b, idB, null), rows: compareRuns(a, b) };
  }

  /** The unsaved pipeline was just saved as `pipelinePath`: its runs move into the runs folder. */
  async adoptUnsaved(pipelinePath: string): Promise<void> {
    const unsaved = this.memory.get(null) ?? [];
    this.memory.delete(null);
    for (const { report } of unsaved) await this.keep(pipelinePath, { ...report, pipeline: { ...report.pipeline, file: pipelinePath } });
  }

  private isMemoryOnly(pipelinePath: string): boolean {
    return this.memoryOnlyUnder !== null && resolve(pipelinePath).startsWith(this.memoryOnlyUnder);
  }

  private remember(pipelinePath: string | null, report: RunReport): string {
    const id = `session-${++this.counter}`;
    const runs = [...(this.memory.get(pipelinePath) ?? []), { id, report }];
    this.memory.set(pipelinePath, runs.slice(-KEEP_RUNS));
    return id;
  }
}
