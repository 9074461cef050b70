import { mkdir, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { parseJson } from "../engine/util/parseJson.js";
import { readRegularTextFile } from "../engine/util/readRegularFile.js";
import { writeFileAtomic } from "../engine/util/writeFileAtomic.js";

const LIMIT = 10;

/** The app's home folder (recent files, settings): PIPELINE_STUDIO_HOME, or ~/.pipeline-studio. */
export function studioHome(): string {
  return process.env.PIPELINE_STUDIO_HOME || join(homedir(), ".pipeline-studio");
}

/** Recently opened or saved pipeline files, newest first, kept in a small JSON file; files no longer there are left out. */
export class RecentFiles {
  constructor(private readonly storePath = join(studioHome(), "recent.json")) {}

  async list(): Promise<string[]> {
    const stored = await this.stored();
    const present = await Promise.all(
      stored.map((path) =>
        stat(path).then(
          () => true,
          () => false,
        ),
      ),
    );
    return stored.filter((_, index) => present[index]);
  }

  async add(path: string): Promise<void> {
    const files = [path, ...(await this.list()).filter((entry) => entry !== path)].slice(0, LIMIT);
    await mkdir(dirname(this.storePath), { recursive: true });
    await writeFileAtomic(this.storePath, `${JSON.stringify(files, null, 2)}\n`);
  }

  private async stored(): Promise<string[]> {
    try {
      const stored = parseJson(await readRegularTextFile(this.storePath));
      return Array.isArray(stored) ? stored.filter((entry): entry is string => typeof entry === "string") : [];
    } catch {
      return [];
    }
  }
}
