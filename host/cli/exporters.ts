import { exportPython, exportTypeScript, type ExportOptions } from "../../engine/spec/export/index.js";
import type { PipelineFile } from "../../engine/spec/index.js";

/** The engine's exporters, as a value a test can replace. */
export interface Exporters {
  exportTypeScript(spec: PipelineFile, options: ExportOptions): string;
  exportPython(spec: PipelineFile, options: ExportOptions): string;
}

export const engineExporters: Exporters = { exportTypeScript, exportPython };
