import { statSync, type Stats } from "node:fs";
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { glob } from "tinyglobby";
import { z } from "zod";
import { ConfigError } from "../errors.js";
import type { SourceOpDefinition } from "./catalog.js";

interface FilesParams {
  folder: string;
  pattern: string;
}

export const files: SourceOpDefinition<FilesParams> = {
  name: "files",
  synonyms: ["glob", "directory", "folder", "list files", "walk"],
  kind: "source",
  category: "sources",
  execution: "loop",
  description: 'Yields the absolute paths of the files in folder that match pattern ("**/*.txt" descends), sorted',
  params: z.strictObject({
    folder: z.string({ error: "must be a folder path" }).min(1, { error: "must not be empty" }).default("."),
    pattern: z.string({ error: 'must be a glob pattern such as "**/*.txt"' }).min(1, { error: "must not be empty" }).default("*"),
  }),
  checkResources({ folder }, { baseDir }) {
    const root = resolve(baseDir, folder);
    const problem = folderProblem(root, statOrNull(root));
    return problem ? [{ param: "folder", message: problem }] : [];
  },
  createSource({ folder, pattern }, { baseDir }) {
    const root = resolve(baseDir, folder);
    // Checked now so `validate` reports it, and again when listing, since that happens later.
    checkFolder(root, folder, statOrNull(root));
    // Each iteration lists the folder afresh: a repeating source sees files added meanwhile.
    return { [Symbol.asyncIterator]: () => listFiles(root, folder, pattern) };
  },
};

async function* listFiles(root: string, folder: string, pattern: string): AsyncGenerator<string> {
  checkFolder(root, folder, await stat(root).catch(() => null));
  const paths = await glob(pattern, { cwd: root, absolute: true, onlyFiles: true, dot: false, expandDirectories: false });
  // Code-unit order, not the locale's: the same folder lists the same way on every machine.
  paths.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  yield* paths;
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function checkFolder(root: string, folder: string, stats: Stats | null): void {
  const problem = folderProblem(root, stats);
  if (problem) throw new ConfigError(`files: ${problem}${folder === root ? "" : ` (folder "${folder}")`}`);
}

function folderProblem(root: string, stats: Stats | null): string | undefined {
  if (stats === null) return `the folder ${root} does not exist`;
  if (!stats.isDirectory()) return `${root} is not a folder`;
  return undefined;
}
