import { mkdir, readdir, rm } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { RunReportError, parseRunReport, summarizeRunReport, type RunReport, type RunSummary } from "../engine/analysis/index.js";
import { parseJson } from "../engine/util/parseJson.js";
import { FileReadError, readRegularTextFile } from "../engine/util/readRegularFile.js";
import { writeFileAtomic } from "../engine/util/writeFileAtomic.js";

/**
 * Run reports on disk, beside the pipeline file: `seed.pipeline.json` keeps its runs in
 * `seed.runs/`, one `<started ISO time>-<outcome>.run.json` each, so they sort by time, survive
 * the session and travel with the file. The last KEEP_RUNS are kept.
 */

export const KEEP_RUNS = 20;
const REPORT_SUFFIX = ".run.json";
/** Names this module writes (and so may prune): a user's own copies in the folder are left alone. */
const WRITTEN_NAME = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z-(completed|failed|stopped)(-\d+)?\.run\.json$/;

/** `<dir>/seed.pipeline.json` → `<dir>/seed.runs`. */
export function runsFolderFor(pipelinePath: string): string {
  const absolute = resolve(pipelinePath);
  const name = basename(absolute)
    .replace(/\.pipeline\.json$/, "")
    .replace(/\.json$/, "");
  return join(dirname(absolute), `${name || basename(absolute)}.runs`);
}

/** `2025-05-06T12-00-00.000Z-completed.run.json`: colons are not allowed in Windows file names. */
export function reportFileName(report: RunReport): string {
  return `${report.startedAt.replaceAll(":", "-")}-${report.outcome}${REPORT_SUFFIX}`;
}

/** Writes a report to a path of the user's choosing, atomically, creating its folder. */
export async function writeRunReport(path: string, report: RunReport): Promise<string> {
  await mkdir(dirname(resolve(path)), { recursive: true });
  return writeFileAtomic(path, `${JSON.stringify(report, null, 2)}\n`);
}

export interface SavedRun {
  /** The file's name in the runs folder: what listRunReports and readSavedRun go by. */
  id: string;
  path: string;
}

/** Saves into the runs folder beside the pipeline file, then prunes all but the newest `keep`. */
export async function saveRunReport(pipelinePath: string, report: RunReport, keep = KEEP_RUNS): Promise<SavedRun> {
  const folder = runsFolderFor(pipelinePath);
  await mkdir(folder, { recursive: true });
  const taken = new Set(await readdir(folder));
  let id = reportFileName(report);
  // Two runs started within the same millisecond (a script): number the later one.
  for (let n = 2; taken.has(id); n++) id = reportFileName(report).replace(REPORT_SUFFIX, `-${n}${REPORT_SUFFIX}`);
  const path = await writeRunReport(join(folder, id), report);
  await pruneRuns(folder, keep);
  return { id, path };
}

async function pruneRuns(folder: string, keep: number): Promise<void> {
  const written = (await readdir(folder)).filter((name) => WRITTEN_NAME.test(name)).sort();
  const excess = written.slice(0, Math.max(0, written.length - keep));
  await Promise.all(excess.map((name) => rm(join(folder, name), { force: true })));
}

export interface RunListing {
  /** The runs folder (it may not exist yet). */
  folder: string;
  /** Newest first. */
  runs: RunSummary[];
  /** One line per file that was skipped, saying why. */
  notices: string[];
}

/** Every readable report in the pipeline's runs folder, newest first; unreadable ones become notices. */
export async function listRunReports(pipelinePath: string): Promise<RunListing> {
  const folder = runsFolderFor(pipelinePath);
  let names: string[];
  try {
    names = (await readdir(folder)).filter((name) => name.endsWith(REPORT_SUFFIX));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { folder, runs: [], notices: [] };
    return { folder, runs: [], notices: [`cannot list ${folder}: ${(error as Error).message}`] };
  }
  const runs: RunSummary[] = [];
  const notices: string[] = [];
  await Promise.all(
    names.map(async (name) => {
      const path = join(folder, name);
      try {
        runs.push(summarizeRunReport(await readRunReport(path), name, path));
      } catch (error) {
        notices.push(`skipped ${error instanceof RunReportError ? error.message : `${path}: ${(error as Error).message}`}`);
      }
    }),
  );
  runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id));
  return { folder, runs, notices: notices.sort() };
}

/** Reads and checks one report; every way it can fail is a RunReportError saying what is wrong. */
export async function readRunReport(path: string): Promise<RunReport> {
  const absolute = resolve(path);
  let raw: unknown;
  try {
    raw = parseJson(await readRegularTextFile(absolute));
  } catch (error) {
    // Not JSON: where, never what (the path may name any file); unreadable: why, in plain words.
    throw new RunReportError(absolute, [{ path: "$", message: error instanceof FileReadError ? error.reason : (error as Error).message }]);
  }
  return parseRunReport(raw, absolute);
}

/** One report of the pipeline's runs folder by its id (a bare file name: nothing outside the folder). */
export async function readSavedRun(pipelinePath: string, id: string): Promise<RunReport> {
  if (!id.endsWith(REPORT_SUFFIX) || id !== basename(id) || id.startsWith("."))
    throw new Error(`'${id}' is not a run report id (a *${REPORT_SUFFIX} file name in the runs folder)`);
  return readRunReport(join(runsFolderFor(pipelinePath), id));
}
