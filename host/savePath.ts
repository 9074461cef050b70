import { stat } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, dirname, isAbsolute, join, resolve, sep } from "node:path";

export const PIPELINE_EXTENSION = ".pipeline.json";

export interface SaveTarget {
  /** The absolute path the file would be written to. */
  path: string;
  /** Whether something is there already (Save As asks before replacing it). */
  exists: boolean;
  /** What a relative name was resolved against, in words; null for an absolute path. */
  base: string | null;
}

export interface SavePathContext {
  /** The open pipeline's file (null: never saved). */
  currentPath: string | null;
  /** The bundled examples' folder: never a place to save into, so names resolve against home instead. */
  examplesDir: string;
  /** Default: the user's home folder. */
  home?: string;
}

/**
 * Where Save As writes a name the user typed: `~` is the home folder; a relative name resolves
 * against the current file's folder, or the home folder for a pipeline never saved (or a bundled
 * example) — never the server's working folder; a name without an extension gets `.pipeline.json`.
 */
export async function resolveSavePath(typed: string, context: SavePathContext): Promise<SaveTarget> {
  const home = context.home ?? homedir();
  const name = typed.trim();
  if (!name) throw new Error("a file name is needed");
  const withExtension = basename(name).includes(".") ? name : `${name}${PIPELINE_EXTENSION}`;
  let path: string;
  let base: string | null = null;
  if (withExtension === "~" || withExtension.startsWith(`~${sep}`) || withExtension.startsWith("~/")) {
    path = join(home, withExtension.slice(1));
  } else if (isAbsolute(withExtension)) {
    path = resolve(withExtension);
  } else {
    const examples = resolve(context.examplesDir) + sep;
    const folder = context.currentPath && !resolve(context.currentPath).startsWith(examples) ? dirname(context.currentPath) : null;
    base = folder ? `the current file's folder (${folder})` : `your home folder (${home})`;
    path = resolve(folder ?? home, withExtension);
  }
  return { path, exists: await exists(path), base };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
