import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

/** Writes beside the target, then renames: an interrupted write never leaves half a file. */
export async function writeFileAtomic(path: string, text: string): Promise<string> {
  const absolute = resolve(path);
  const temporary = join(dirname(absolute), `.${basename(absolute)}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await writeFile(temporary, text, { encoding: "utf8", flag: "wx" });
    await rename(temporary, absolute);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return absolute;
}
