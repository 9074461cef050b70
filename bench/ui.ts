/**
 * The app's own speed: a long chain (50 and 200 stages) opened in headless Chromium against a
 * host started in a process of its own (uiHost.ts) on a free loopback port, as `npm start` runs
 * it, the pipeline run with its sources repeating (demo mode) so it
 * runs the whole time; frames per second, long tasks and the JS heap over the measuring window,
 * then the same while a node is dragged (the mouse moving as fast as the browser takes it).
 * Needs a Chromium (Debian's /usr/bin/chromium, or CHROMIUM_PATH) and the built renderer.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CDPSession, Page } from "playwright-core";
import { defaultRendererDir, rendererIsBuilt } from "../host/server/staticFiles.js";
import { longChainFile } from "./chainFile.js";
import { interleave, median } from "./measure.js";
import { figure, measurement, type Figure, type Measurement, type SuiteResult } from "./report.js";
import type { SuiteContext } from "./suite.js";
import {
  mainThreadLoad,
  measurePageFrames,
  centreOf,
  nodeBoxesInPage,
  nodesDrawnInPage,
  pageMetrics,
  summariseFrames,
  type PageMetrics,
} from "./uiMeasure.js";

export const UI_FPS_TARGET = 50;
export const UI_LONG_TASK_LIMIT_MS = 50;
const SIZES = [50, 200];
const THIS_BUILD = "this build";
const BASELINE = "baseline";
/** Rounds per renderer in an A/B (--ui-baseline): each round measures both, in alternating order. */
const AB_ROUNDS = 2;
const VIEWPORT = { width: 1280, height: 720 };
/** After Run: the charts open and the first snapshots arrive before anything is counted. */
const WARM_UP_MS = 1500;

function chromiumPath(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium"];
  return candidates.find((path): path is string => path !== undefined && existsSync(path)) ?? null;
}

interface Phase {
  fps: number;
  longTaskCount: number;
  longTaskTotalMs: number;
  longTaskMaxMs: number;
  heapBytes: number;
  /** The page's main thread: CPU ms per second of the window, and its tasks' wall time ÷ that CPU. */
  cpuMsPerSecond: number;
  wallPerCpu: number;
  mouseMoves?: number;
}

export async function runUi(context: SuiteContext): Promise<SuiteResult> {
  const title = "UI: a long chain running in headless Chromium (demo mode), 1280×720";
  const skipped = (why: string): SuiteResult => ({
    suite: "ui",
    title,
    params: {},
    measurements: [],
    figures: [],
    notes: [`Skipped: ${why}`],
  });
  const executablePath = chromiumPath();
  if (!executablePath) return skipped("no Chromium (Debian: apt-get install -y chromium, or set CHROMIUM_PATH)");
  if (!(await rendererIsBuilt(defaultRendererDir()))) return skipped("the renderer is not built (npm run build)");
  // With a baseline (--ui-baseline), both renderers are measured round by round in one run: an A/B
  // that the machine's load shifts alike.
  const renderers = [{ name: THIS_BUILD, dir: defaultRendererDir() }];
  if (context.uiBaseline) {
    if (!(await rendererIsBuilt(context.uiBaseline))) return skipped(`no built renderer in ${context.uiBaseline} (--ui-baseline)`);
    renderers.push({ name: BASELINE, dir: context.uiBaseline });
  }
  const rounds = renderers.length > 1 ? AB_ROUNDS : 1;
  const durationMs = context.quick ? 3000 : 10_000;
  const dir = await mkdtemp(join(tmpdir(), "pipeline-studio-bench-ui-"));
  // The hosts started here keep their recent files and settings out of the user's own.
  await mkdir(join(dir, "home"));
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  const measurements: Measurement[] = [];
  const figures: Figure[] = [];
  try {
    for (const stages of SIZES) {
      context.progress(
        `[ui] ${stages} stages: opening, running, measuring ${durationMs / 1000} s idle and ${durationMs / 1000} s dragging` +
          (rounds > 1 ? `; ${renderers.map((r) => r.name).join(" and ")} interleaved over ${rounds} rounds` : ""),
      );
      const results = await interleave(
        renderers.map((renderer) => ({ name: renderer.name, run: () => measureChain(browser, dir, stages, durationMs, renderer.dir) })),
        rounds,
        { afterRun: ({ round, name, result }) => context.progress(`[ui]   ${stages} stages, ${name}, round ${round}: ${summary(result)}`) },
      );
      for (const renderer of renderers) {
        const runs = results.get(renderer.name)!;
        for (const name of ["running", "dragging"] as const) {
          const phases = runs.map((run) => run[name]);
          const setting = `${stages} stages, ${name}`;
          const contender = (what: string) => (renderer.name === THIS_BUILD ? what : `${what} (${renderer.name})`);
          const moves = phases[0].mouseMoves === undefined ? "" : `, ${phases.map((p) => p.mouseMoves).join("/")} mouse moves`;
          const pick = (key: keyof Phase) => phases.map((p) => p[key] ?? 0);
          measurements.push(
            measurement(setting, contender("frames"), "fps", pick("fps"), `requestAnimationFrame over ${durationMs / 1000} s${moves}`),
            measurement(setting, contender("long tasks"), "count", pick("longTaskCount"), `main-thread tasks over 50 ms`),
            measurement(setting, contender("long tasks, total"), "ms", pick("longTaskTotalMs")),
            measurement(setting, contender("long task, longest"), "ms", pick("longTaskMaxMs")),
            measurement(setting, contender("JS heap used"), "bytes", pick("heapBytes"), "at the end (CDP Runtime.getHeapUsage)"),
            measurement(
              setting,
              contender("main thread CPU"),
              "ms",
              pick("cpuMsPerSecond"),
              "per second (CDP ThreadTime): the page's own work",
            ),
            measurement(setting, contender("task time ÷ CPU"), "ratio", pick("wallPerCpu"), "above 1: the page's thread waited for a core"),
          );
          if (renderer.name !== THIS_BUILD) continue;
          figures.push(
            figure({
              id: `ui.fps.${stages}.${name}`,
              suite: "ui",
              label: `${setting}: fps`,
              unit: "fps",
              value: median(pick("fps")),
              peer: { name: "target", value: UI_FPS_TARGET },
              target: { kind: "atLeast", value: 1 },
            }),
            figure({
              id: `ui.longestTask.${stages}.${name}`,
              suite: "ui",
              label: `${setting}: longest task`,
              unit: "ms",
              value: median(pick("longTaskMaxMs")),
              peer: { name: "limit", value: UI_LONG_TASK_LIMIT_MS },
              target: { kind: "atMost", value: 1 },
            }),
          );
        }
      }
    }
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
  return {
    suite: "ui",
    title,
    params: {
      sizes: SIZES.join("/"),
      seconds: durationMs / 1000,
      viewport: `${VIEWPORT.width}x${VIEWPORT.height}`,
      ...(context.uiBaseline ? { baseline: context.uiBaseline, rounds } : {}),
    },
    measurements,
    figures,
    notes: [
      `Targets: ≥ ${UI_FPS_TARGET} fps and no long task over ${UI_LONG_TASK_LIMIT_MS} ms; headless Chromium draws at most 60 fps, and software rendering (--disable-gpu) shares the cores with the host's run.`,
    ],
  };
}

async function measureChain(
  browser: import("playwright-core").Browser,
  dir: string,
  stages: number,
  durationMs: number,
  rendererDir: string,
): Promise<{ running: Phase; dragging: Phase }> {
  const file = join(dir, `chain-${stages}.pipeline.json`);
  await writeFile(file, JSON.stringify(longChainFile(stages)));
  const host = await startHost(file, rendererDir, join(dir, "home"));
  const page = await browser.newPage({ viewport: VIEWPORT });
  try {
    await page.goto(host.url);
    await page.waitForFunction(nodesDrawnInPage, stages + 2);
    await page.getByTestId("repeat-sources").check();
    await page.getByRole("button", { name: "▶ Run" }).click();
    await page.getByTestId("run-state").getByText("running").waitFor();
    await page.waitForTimeout(WARM_UP_MS);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable", { timeDomain: "timeTicks" });
    const running = await phase(page, cdp, durationMs);
    const dragging = await phase(page, cdp, durationMs, await nodeNearestCentre(page));
    await page.getByRole("button", { name: "■ Stop" }).click();
    await page.getByRole("button", { name: "■ Stop" }).and(page.locator(":disabled")).waitFor();
    return { running, dragging };
  } finally {
    await page.close();
    await host.stop();
  }
}

const HOST_SCRIPT = fileURLToPath(new URL("./uiHost.js", import.meta.url));
const HOST_START_TIMEOUT_MS = 30_000;

/** The app's host in a process of its own (uiHost.ts), as `npm start` runs it; its URL once it listens. */
async function startHost(file: string, rendererDir: string, home: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [HOST_SCRIPT, file, rendererDir], {
    env: { ...process.env, PIPELINE_STUDIO_HOME: home },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`ui bench: the host did not start within ${HOST_START_TIMEOUT_MS / 1000} s`)),
        HOST_START_TIMEOUT_MS,
      );
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += String(chunk);
        const line = out.split("\n")[0];
        if (out.includes("\n") && line) {
          clearTimeout(timer);
          resolve(line.trim());
        }
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`ui bench: the host exited (${signal ?? `code ${code}`}) before it listened`));
      });
    });
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function summary(result: { running: Phase; dragging: Phase }): string {
  const one = (p: Phase) =>
    `${p.fps.toFixed(0)} fps, ${p.longTaskCount} long tasks (longest ${p.longTaskMaxMs.toFixed(0)} ms), ` +
    `main thread ${p.cpuMsPerSecond.toFixed(0)} ms CPU/s, tasks ${p.wallPerCpu.toFixed(2)}× their CPU`;
  return `running ${one(result.running)}; dragging ${one(result.dragging)}`;
}

/**
 * The node to drag: the one nearest the canvas's middle, so its circle stays clear of the edges,
 * where React Flow would pan the whole view (that would measure panning, not dragging a node).
 */
async function nodeNearestCentre(page: Page): Promise<{ id: string; x: number; y: number }> {
  const pane = await page.locator(".react-flow__pane").boundingBox();
  if (!pane) throw new Error("ui bench: the canvas is not on screen");
  const middle = { x: pane.x + pane.width / 2, y: pane.y + pane.height / 2 };
  const centres = (await page.evaluate(nodeBoxesInPage)).map((box) => ({ id: box.id, ...centreOf(box) }));
  const distance = (at: { x: number; y: number }) => Math.hypot(at.x - middle.x, at.y - middle.y);
  return centres.reduce((best, at) => (distance(at) < distance(best) ? at : best));
}

/** The canvas's pan and zoom, as React Flow's viewport transform. */
const viewTransform = (page: Page): Promise<string> =>
  page.locator(".react-flow__viewport").evaluate((viewport) => viewport.ownerDocument.defaultView!.getComputedStyle(viewport).transform);

/** One measuring window; with `drag`, that node is held and moved in a circle the whole time (the view must not pan). */
async function phase(page: Page, cdp: CDPSession, durationMs: number, drag?: { id: string; x: number; y: number }): Promise<Phase> {
  let mouseMoves: number | undefined;
  let measured;
  let before: PageMetrics;
  let after: PageMetrics;
  if (!drag) {
    before = await pageMetrics(cdp);
    measured = await page.evaluate(measurePageFrames, durationMs);
    after = await pageMetrics(cdp);
  } else {
    const centre = { x: drag.x, y: drag.y };
    const viewBefore = await viewTransform(page);
    // Pointed at, the node is React Flow's to drag (from afar, the compact layer hands it over).
    await page.mouse.move(centre.x, centre.y);
    await page.getByTestId(`node-${drag.id}`).waitFor();
    await page.mouse.down();
    let done = false;
    before = await pageMetrics(cdp);
    const measuring = page.evaluate(measurePageFrames, durationMs).finally(() => (done = true));
    mouseMoves = 0;
    while (!done) {
      const angle = mouseMoves / 8;
      await page.mouse.move(centre.x + 40 * Math.sin(angle), centre.y + 40 * (1 - Math.cos(angle)));
      mouseMoves++;
    }
    measured = await measuring;
    after = await pageMetrics(cdp);
    await page.mouse.up();
    if ((await viewTransform(page)) !== viewBefore) throw new Error("ui bench: the view panned while a node was dragged");
  }
  const heap = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number };
  return {
    ...summariseFrames(measured),
    ...mainThreadLoad(before, after),
    heapBytes: heap.usedSize,
    ...(mouseMoves === undefined ? {} : { mouseMoves }),
  };
}
