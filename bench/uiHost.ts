/**
 * The host the UI benchmark measures the app against, in a process of its own as `npm start`
 * runs it: in the benchmark's process, Playwright's AsyncLocalStorage hooks every promise the
 * engine makes, and that host took a sixth more CPU than the app's own. Prints the URL (with its
 * token) as its only line on stdout; SIGTERM closes the run, the server and the process.
 * Usage: node dist/bench/uiHost.js FILE RENDERER_DIR (its home: PIPELINE_STUDIO_HOME).
 */
import { dirname } from "node:path";
import { startStudioServer } from "../host/server/server.js";
import { StudioSession } from "../host/session.js";

const [file, rendererDir] = process.argv.slice(2);
if (!file || !rendererDir || !process.env.PIPELINE_STUDIO_HOME) {
  process.stderr.write("usage: PIPELINE_STUDIO_HOME=DIR node dist/bench/uiHost.js FILE RENDERER_DIR\n");
  process.exit(2);
}
const session = new StudioSession({ launchFile: file, startDir: dirname(file) });
const server = await startStudioServer({ session, rendererDir });
process.stdout.write(`${server.url}\n`);
process.once("SIGTERM", () => {
  void (async () => {
    await session.close().catch(() => {});
    await server.close().catch(() => {});
    process.exit(0);
  })();
});
