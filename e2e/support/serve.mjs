// Playwright's webServer: starts the app in browser mode (`node dist/host/launch.js --browser
// --no-open --port N`), forwards its output, and writes the URL it prints (with the per-launch
// token) to a file the specs read. Stops the app when Playwright stops this process. The app's
// home (recent files, settings) is a temporary folder, removed at the end: tests never touch the
// user's own.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const port = process.argv[2];
const urlFile = process.argv[3];
if (!port || !urlFile) {
  process.stderr.write("usage: node e2e/support/serve.mjs PORT URL_FILE\n");
  process.exit(2);
}
rmSync(urlFile, { force: true });
mkdirSync(dirname(urlFile), { recursive: true });

const home = mkdtempSync(join(tmpdir(), "pipeline-studio-e2e-home-"));
const child = spawn(process.execPath, ["dist/host/launch.js", "--browser", "--no-open", "--port", port], {
  stdio: ["ignore", "pipe", "inherit"],
  env: { ...process.env, PIPELINE_STUDIO_HOME: home },
});
let buffered = "";
child.stdout.setEncoding("utf8");
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  buffered += chunk;
  const match = /Pipeline Studio: (http:\/\/\S+)/.exec(buffered);
  if (match) {
    writeFileSync(urlFile, match[1]);
    buffered = "";
  }
});
child.on("exit", (code) => {
  rmSync(home, { recursive: true, force: true });
  process.exit(code ?? 0);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
