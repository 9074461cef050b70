import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { RunReport } from "../../engine/analysis/index.js";
import { reportFileName, saveRunReport, writeRunReport } from "../runReports.js";

/**
 * Where `run --report [path]` puts the report. No value: the runs folder beside the pipeline
 * file (kept to the last 20, as the app does). A folder: a new file in it, named like the app's.
 * Any other path: that file, written atomically.
 */
export async function writeReportFor(pipelinePath: string, report: RunReport, target: string | true): Promise<string> {
  if (target === true) return (await saveRunReport(pipelinePath, report)).path;
  const isFolder = await stat(target).then(
    (info) => info.isDirectory(),
    () => false,
  );
  return writeRunReport(isFolder ? join(target, reportFileName(report)) : target, report);
}
