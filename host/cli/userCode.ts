import { isAbsolute, resolve } from "node:path";

/**
 * The user-code modules a pipeline runs, as absolute paths: relative ones resolve against the
 * pipeline file's folder, not the shell's, so the notice must show where they really are.
 */
export function userCodeModules(modules: readonly string[], baseDir: string): string[] {
  return [
    ...new Set(modules.map((module) => (isAbsolute(module) || /^[a-z][a-z0-9+.-]+:/i.test(module) ? module : resolve(baseDir, module)))),
  ];
}

/** The notice a run prints before it starts: a pipeline file from elsewhere can run anything. */
export function userCodeNotice(modules: readonly string[]): string | undefined {
  return modules.length === 0 ? undefined : `This pipeline runs code from ${modules.join(", ")}`;
}
