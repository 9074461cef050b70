import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunEnded } from "../protocol.js";
import { RecentFiles } from "../recentFiles.js";
import { StudioSession } from "../session.js";

/** A session for one test: its recent files in a temporary folder of its own (`home`), never the user's. */
export async function openTestSession(prefix: string): Promise<{ home: string; session: StudioSession }> {
  const home = await mkdtemp(join(tmpdir(), prefix));
  return { home, session: new StudioSession({ recentFiles: new RecentFiles(join(home, "recent.json")) }) };
}

/** The test's session closed (a run stopped) and its folder removed. */
export async function closeTestSession(session: StudioSession, home: string): Promise<void> {
  await session.close();
  await rm(home, { recursive: true, force: true });
}

/** The end of the next run the session announces. */
export function nextRunEnd(session: StudioSession): Promise<RunEnded> {
  return new Promise((resolve) => {
    const off = session.onEvent((event) => {
      if (event.type === "runEnded") {
        off();
        resolve(event.ended);
      }
    });
  });
}
