import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeNamedPipe, releaseNamedPipe } from "../../engine/testing/namedPipes.js";
import { TestClient } from "./testing/client.js";

const repo = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");
const launchJs = join(repo, "dist/host/launch.js");

interface Launched {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  exit: Promise<number | null>;
}

let home: string;
const children: ChildProcess[] = [];
const namedPipes: string[] = [];

beforeAll(() => {
  if (!existsSync(launchJs)) throw new Error(`${launchJs} is missing: run npm run build first`);
});

afterEach(async () => {
  for (const pipe of namedPipes.splice(0)) releaseNamedPipe(pipe);
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  if (home) await rm(home, { recursive: true, force: true });
});

async function launch(
  args: string[],
  how: { script?: string; cwd?: string; env?: NodeJS.ProcessEnv; home?: string } = {},
): Promise<Launched> {
  home = how.home ?? (await mkdtemp(join(tmpdir(), "studio-launch-")));
  const env: NodeJS.ProcessEnv = { ...process.env, PIPELINE_STUDIO_HOME: home, ...how.env };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  const child = spawn(process.execPath, [how.script ?? launchJs, ...args], {
    cwd: how.cwd ?? repo,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exit = new Promise<number | null>((resolveExit) => child.on("exit", (code) => resolveExit(code)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL line within 10 s; stderr: ${stderr}`)), 10_000);
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      const line = /^Pipeline Studio: (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)\n/.exec(stdout);
      if (line) {
        clearTimeout(timer);
        resolveUrl(line[1]);
      }
    });
    void exit.then((code) => reject(new Error(`launch exited with ${code} before printing a URL; stderr: ${stderr}`)));
  });
  return { child, url, stdout: () => stdout, exit };
}

/** The pipeline a page of this launch opens first. */
async function startupPipeline(url: string): Promise<{ path: string | null; nodes: string[] }> {
  const { port, searchParams } = new URL(url);
  const client = await TestClient.connect(`ws://127.0.0.1:${port}/api?token=${searchParams.get("token")}`, {
    Origin: `http://127.0.0.1:${port}`,
  });
  const answer = await client.request("startupPipeline", {});
  client.close();
  if (!answer.ok) throw new Error(answer.error.message);
  const opened = answer.result as { path: string | null; spec: { nodes: { id: string }[] } };
  return { path: opened.path, nodes: opened.spec.nodes.map((node) => node.id) };
}

describe("opening a file at launch", () => {
  async function folderWithPipeline(): Promise<string> {
    const folder = await mkdtemp(join(tmpdir(), "studio-launch-file-"));
    await mkdir(join(folder, "sub"));
    await copyFile(join(repo, "examples/pool-starved.pipeline.json"), join(folder, "sub", "mine.pipeline.json"));
    return folder;
  }

  it("npm start -- FILE: a relative FILE is taken from where the command was typed (INIT_CWD), and pages open it first", async () => {
    const folder = await folderWithPipeline();
    const { child, url, exit } = await launch(["--browser", "--no-open", "--port", "0", "sub/mine.pipeline.json"], {
      env: { INIT_CWD: folder },
      home: folder,
    });
    expect(await startupPipeline(url)).toEqual({
      path: join(folder, "sub", "mine.pipeline.json"),
      nodes: ["urls", "download", "preprocess", "sink"],
    });
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
  });

  it("pipeline-studio open FILE: relative to the current folder", async () => {
    const folder = await folderWithPipeline();
    const { child, url, exit } = await launch(["open", "sub/mine.pipeline.json", "--browser", "--no-open", "--port", "0"], {
      script: join(repo, "dist/host/cli/main.js"),
      cwd: folder,
      env: { INIT_CWD: "" },
      home: folder,
    });
    expect((await startupPipeline(url)).path).toBe(join(folder, "sub", "mine.pipeline.json"));
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
  });

  it("without FILE, the seed example", async () => {
    const { child, url, exit } = await launch(["--browser", "--no-open", "--port", "0"]);
    expect((await startupPipeline(url)).nodes).toEqual(["urls", "download", "preprocess", "sink"]);
    child.kill("SIGTERM");
    await exit;
  });
});

describe("npm start (browser mode)", () => {
  it("prints one URL line, serves the page and the API, and exits 0 on SIGTERM", async () => {
    const started = Date.now();
    const { child, url, stdout, exit } = await launch(["--browser", "--no-open", "--port", "0"]);
    expect(Date.now() - started).toBeLessThan(10_000);
    const { port, searchParams } = new URL(url);
    const page = await fetch(url);
    const built = existsSync(join(repo, "dist/renderer/index.html"));
    expect(page.status).toBe(built ? 200 : 503);
    expect(page.headers.get("content-security-policy")).toContain(`connect-src 'self' ws://127.0.0.1:${port}`);
    if (!built) expect(await page.text()).toContain("npm run build");

    const client = await TestClient.connect(`ws://127.0.0.1:${port}/api?token=${searchParams.get("token")}`, {
      Origin: `http://127.0.0.1:${port}`,
    });
    const examples = await client.request("listExamples", {});
    expect(examples.ok).toBe(true);
    client.close();

    child.kill("SIGTERM");
    expect(await exit).toBe(0);
    expect(stdout().split("\n").filter(Boolean)).toEqual([`Pipeline Studio: ${url}`]);
  });

  it.each(["SIGINT", "SIGTERM"] as const)("stops a running pipeline and exits 0 on %s", async (signal) => {
    const { child, url, exit } = await launch(["--browser", "--no-open"]);
    const { port, searchParams } = new URL(url);
    const client = await TestClient.connect(`ws://127.0.0.1:${port}/api?token=${searchParams.get("token")}`);
    const opened = await client.request("openExample", { name: "seed-download-preprocess" });
    if (!opened.ok) throw new Error(opened.error.message);
    const started = await client.request("startRun", { spec: (opened.result as { spec: unknown }).spec });
    expect(started.ok).toBe(true);
    await client.waitForEvent((event) => event.type === "runStats");
    const stoppedAt = Date.now();
    child.kill(signal);
    expect(await exit).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(4_000);
    client.close();
  });

  it("SIGTERM still stops it after requests named paths whose open blocks (named pipes)", async () => {
    const { child, url, exit } = await launch(["--browser", "--no-open"]);
    const { port, searchParams } = new URL(url);
    const client = await TestClient.connect(`ws://127.0.0.1:${port}/api?token=${searchParams.get("token")}`);
    const pipes = Array.from({ length: 6 }, (_, index) => makeNamedPipe(join(home, `pipe-${index}.pipeline.json`)));
    namedPipes.push(...pipes);
    const refused = await Promise.all(pipes.map((path) => client.request("openFile", { path })));
    for (const response of refused)
      expect(response).toMatchObject({ ok: false, error: { message: expect.stringContaining("not a regular file (a named pipe)") } });
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
    client.close();
  });

  it("refuses a bad option with exit 2", async () => {
    const child = spawn(process.execPath, [launchJs, "--port", "99999"], { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
    children.push(child);
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolveExit) => child.on("exit", (exitCode) => resolveExit(exitCode)));
    expect(code).toBe(2);
    expect(stderr).toContain("--port must be an integer from 0 to 65535");
  });
});
