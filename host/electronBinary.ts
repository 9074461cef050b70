/**
 * Finds Electron's binary by its file's presence, never by running it or by loading the
 * `electron` package (whose index.js starts a download when the binary is missing, and an
 * offline download can hang). The package's path.txt names the executable under its dist/.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** node_modules/electron, or null when the package is not installed. */
export function electronPackageDir(): string | null {
  try {
    return dirname(createRequire(import.meta.url).resolve("electron/package.json"));
  } catch {
    return null;
  }
}

/** The Electron executable's path when its file exists; null otherwise (browser mode). */
export function findElectronBinary(packageDir: string | null = electronPackageDir(), env: NodeJS.ProcessEnv = process.env): string | null {
  if (!packageDir) return null;
  const pathFile = join(packageDir, "path.txt");
  if (!existsSync(pathFile)) return null;
  let executable: string;
  try {
    executable = readFileSync(pathFile, "utf8").trim();
  } catch {
    return null;
  }
  if (!executable) return null;
  const binary = env.ELECTRON_OVERRIDE_DIST_PATH ? join(env.ELECTRON_OVERRIDE_DIST_PATH, executable) : join(packageDir, "dist", executable);
  try {
    return statSync(binary).isFile() ? binary : null;
  } catch {
    return null;
  }
}
