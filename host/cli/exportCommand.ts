import type { OpDefinition } from "../../engine/ops/index.js";
import { exportPython, exportTypeScript, type ExportOptions as ExporterOptions } from "../../engine/spec/export/index.js";
import type { PipelineFile } from "../../engine/spec/index.js";
import { writeFileAtomic } from "../../engine/util/writeFileAtomic.js";
import { ExitCode } from "./exitCodes.js";
import { loadFile, problemsOf } from "./loadFile.js";
import { Output, type CliIo } from "./output.js";

export type ExportLanguage = "ts" | "python";

/** The engine's exporters, as a value a test can replace. */
export interface Exporters {
  exportTypeScript(spec: PipelineFile, options: ExporterOptions): string;
  exportPython(spec: PipelineFile, options: ExporterOptions): string;
}

const engineExporters: Exporters = { exportTypeScript, exportPython };

export interface ExportOptions {
  to: ExportLanguage;
  /** Where to write; stdout when absent. */
  out?: string;
}

export interface ExportDependencies {
  io: CliIo;
  /** The engine's exporters unless a test brings its own. */
  exporters?: Exporters;
  catalog?: ReadonlyMap<string, OpDefinition>;
}

/** `pipeline-studio export FILE --to ts|python`: the pipeline as a program, for a runnable file only. */
export async function exportCommand(file: string, options: ExportOptions, deps: ExportDependencies): Promise<ExitCode> {
  const output = new Output(deps.io, false);
  const { loaded, problems } = await loadFile(file, deps.catalog);
  if (!loaded || problems.length > 0) {
    output.problems(problems);
    return ExitCode.failure;
  }
  const exporters = deps.exporters ?? engineExporters;
  const exportOptions = { baseDir: loaded.baseDir, file: loaded.path };
  let text: string;
  try {
    text =
      options.to === "ts" ? exporters.exportTypeScript(loaded.spec, exportOptions) : exporters.exportPython(loaded.spec, exportOptions);
  } catch (error) {
    output.problems(problemsOf(error));
    return ExitCode.failure;
  }
  if (!text.endsWith("\n")) text += "\n";
  if (options.out === undefined) {
    output.result(text);
    return ExitCode.success;
  }
  try {
    const written = await writeFileAtomic(options.out, text);
    output.notice(`Wrote ${written}`);
    return ExitCode.success;
  } catch (error) {
    // A SaveError: it names the file and says why (read-only, no such folder, …).
    output.notice(`error: ${(error as Error).message}`);
    return ExitCode.failure;
  }
}
