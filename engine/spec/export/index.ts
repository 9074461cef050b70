/** Export a pipeline file as a program: TypeScript on this engine, or Python on SPDL. */
export { exportTypeScript } from "./typescript.js";
export { exportPython } from "./python.js";
export type { ExportOptions } from "./common.js";
export { pythonOps, type PythonOpMapping } from "./pythonOps.js";
