import {
  RunReportError,
  compareRuns,
  describeSettings,
  formatComparisonValue,
  type ComparisonRow,
  type RunReport,
} from "../../engine/analysis/index.js";
import { readRunReport } from "../runReports.js";
import { ExitCode } from "./exitCodes.js";
import { columns } from "./columns.js";
import { Output, type CliIo } from "./output.js";

export interface CompareOptions {
  json: boolean;
}

/** `pipeline-studio compare A.run.json B.run.json`: the two runs side by side, a → b. */
export async function compareCommand(fileA: string, fileB: string, options: CompareOptions, deps: { io: CliIo }): Promise<ExitCode> {
  const output = new Output(deps.io, options.json);
  const read = await Promise.allSettled([readRunReport(fileA), readRunReport(fileB)]);
  const failures = read
    .filter((result): result is PromiseRejectedResult => result.status === "rejected")
    .map((result) => result.reason as unknown);
  if (failures.length > 0) {
    const messages = failures.map((error) => (error instanceof RunReportError || error instanceof Error ? error.message : String(error)));
    for (const message of messages) output.notice(`error: ${message}`);
    if (options.json) output.document({ a: null, b: null, rows: [], problems: messages });
    return ExitCode.failure;
  }
  const [a, b] = read.map((result) => (result as PromiseFulfilledResult<RunReport>).value);
  const rows = compareRuns(a, b);
  if (options.json) output.document({ a: { file: fileA, report: a }, b: { file: fileB, report: b }, rows, problems: [] });
  else output.result(formatComparison(a, b, rows));
  return ExitCode.success;
}

/** The side-by-side table: a heading per run, then sections, each value a → b with its change. */
export function formatComparison(a: RunReport, b: RunReport, rows: readonly ComparisonRow[]): string {
  const heading = (tag: string, report: RunReport) =>
    `${tag}: ${report.pipeline.name}, started ${report.startedAt.replace("T", " ").replace(/\.\d+Z$/, " UTC")}, ${report.outcome} — ${describeSettings(report.settings)}`;
  const table: string[][] = [["", "a", "b", "change", ""]];
  let section = "";
  for (const row of rows) {
    if (row.section !== section) {
      section = row.section;
      table.push([section === "run" ? "run" : section === "stages" ? "stages" : "settings", "", "", "", ""]);
    }
    table.push([
      `  ${row.label}${row.unit === "ms" ? " ms" : ""}`,
      formatComparisonValue(row, row.a) ?? "-",
      formatComparisonValue(row, row.b) ?? "-",
      row.changeText,
      verdict(row),
    ]);
  }
  return [heading("a", a), heading("b", b), ...liveNotes(a, b), "", ...columns(table)].join("\n");
}

/** From a to b: is b better or worse? A changed setting is marked, so the knob that moved stands out. */
function verdict(row: ComparisonRow): string {
  if (row.section === "settings") return row.differs ? "← changed" : "";
  return row.better === "b" ? "better" : row.better === "a" ? "worse" : row.better === "same" ? "same" : "";
}

function liveNotes(a: RunReport, b: RunReport): string[] {
  return [["a", a] as const, ["b", b] as const]
    .filter(([, report]) => report.settings.liveChanges.length > 0)
    .map(
      ([tag, report]) =>
        `note: ${tag} had knobs turned while running (${report.settings.liveChanges.join(", ")}); its figures mix both settings`,
    );
}
