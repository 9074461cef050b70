/**
 * What the UI benchmark measures inside the page, as one self-contained function (it is sent to
 * the browser as source by Playwright's page.evaluate, so it may use nothing from outside its
 * body): frames drawn (requestAnimationFrame callbacks) and long tasks (PerformanceObserver
 * 'longtask': main-thread work over 50 ms) over `durationMs`.
 */
export interface PageFrames {
  frames: number;
  elapsedMs: number;
  /** Each long task's duration, ms. */
  longTasks: number[];
}

export function measurePageFrames(durationMs: number): Promise<PageFrames> {
  // The browser's globals, typed here: the bench compiles without the DOM's types.
  const page = globalThis as unknown as {
    requestAnimationFrame(callback: (now: number) => void): number;
    PerformanceObserver: new (callback: (list: { getEntries(): { duration: number }[] }) => void) => {
      observe(options: { type: string }): void;
      takeRecords(): { duration: number }[];
      disconnect(): void;
    };
  };
  return new Promise((resolve) => {
    const longTasks: number[] = [];
    const observer = new page.PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longTasks.push(entry.duration);
    });
    observer.observe({ type: "longtask" });
    let frames = 0;
    let start: number | null = null;
    const tick = (now: number) => {
      // Counted from the first frame, so the time to it (whatever came before) is not a frame missed.
      if (start === null) start = now;
      else frames++;
      if (now - start < durationMs) {
        page.requestAnimationFrame(tick);
        return;
      }
      // Tasks that ended in the last frame are delivered after it: take them before stopping.
      for (const entry of observer.takeRecords()) longTasks.push(entry.duration);
      observer.disconnect();
      resolve({ frames, elapsedMs: now - start, longTasks });
    };
    page.requestAnimationFrame(tick);
  });
}

/** Frames per second, and the long tasks' count, total and longest, from a PageFrames. */
export function summariseFrames(measured: PageFrames): {
  fps: number;
  longTaskCount: number;
  longTaskTotalMs: number;
  longTaskMaxMs: number;
} {
  return {
    fps: measured.elapsedMs > 0 ? (measured.frames * 1000) / measured.elapsedMs : 0,
    longTaskCount: measured.longTasks.length,
    longTaskTotalMs: measured.longTasks.reduce((total, ms) => total + ms, 0),
    longTaskMaxMs: measured.longTasks.length > 0 ? Math.max(...measured.longTasks) : 0,
  };
}

/** Chromium's page metrics (CDP Performance.getMetrics), by name. */
export type PageMetrics = Readonly<Record<string, number>>;

/** What pageMetrics needs of a CDP session (Playwright's, from the bench or a test). */
interface MetricsSession {
  send(method: "Performance.getMetrics"): Promise<{ metrics: { name: string; value: number }[] }>;
}

/** The page's metrics now, by name (the session's Performance domain enabled first). */
export async function pageMetrics(cdp: MetricsSession): Promise<PageMetrics> {
  const { metrics } = await cdp.send("Performance.getMetrics");
  return Object.fromEntries(metrics.map((metric) => [metric.name, metric.value]));
}

/**
 * The page's main thread over a window, from the page metrics at its start and end: its CPU time
 * per second of the window (ThreadTime: the page's own work, whatever else takes the cores), and
 * its tasks' wall time ÷ that CPU time (TaskDuration ÷ ThreadTime: above 1 when the thread waited
 * for a core, so that a task of 20 ms of work may last 50).
 */
export function mainThreadLoad(before: PageMetrics, after: PageMetrics): { cpuMsPerSecond: number; wallPerCpu: number } {
  const delta = (name: string) => (after[name] ?? 0) - (before[name] ?? 0);
  const seconds = delta("Timestamp");
  const cpuSeconds = delta("ThreadTime");
  return {
    cpuMsPerSecond: seconds > 0 ? (cpuSeconds * 1000) / seconds : 0,
    wallPerCpu: cpuSeconds > 0 ? delta("TaskDuration") / cpuSeconds : 0,
  };
}

/** A pipeline node's id and where it is drawn on the screen. */
export interface NodeBox {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The little of the page's DOM the two functions below read, typed here (the bench compiles without the DOM's types). */
interface PageElement {
  dataset: Record<string, string | undefined>;
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
}
interface PageDocument {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}

/**
 * Runs in the page: where every pipeline node is drawn on the screen. From afar the compact layer
 * draws the graph on a canvas, its fallback list giving each node's box (flow units) and the
 * canvas the viewport's transform; near, each node is React Flow's element.
 */
export function nodeBoxesInPage(): NodeBox[] {
  const doc = (globalThis as unknown as { document: PageDocument }).document;
  const layer = doc.querySelector('[data-testid="compact-layer"]');
  if (layer?.dataset.transform) {
    const [tx = 0, ty = 0, zoom = 1] = layer.dataset.transform.split(" ").map(Number);
    const frame = layer.getBoundingClientRect();
    return Array.from(doc.querySelectorAll('[data-testid="compact-layer"] li[data-box]'), (entry) => {
      const [x = 0, y = 0, width = 0, height = 0] = (entry.dataset.box ?? "").split(" ").map(Number);
      return {
        id: entry.dataset.id ?? "",
        x: frame.left + tx + x * zoom,
        y: frame.top + ty + y * zoom,
        width: width * zoom,
        height: height * zoom,
      };
    });
  }
  return Array.from(doc.querySelectorAll(".react-flow__node"), (node) => {
    const box = node.getBoundingClientRect();
    return { id: node.dataset.id ?? "", x: box.left, y: box.top, width: box.width, height: box.height };
  });
}

/** A box's centre. */
export const centreOf = (box: NodeBox): { x: number; y: number } => ({ x: box.x + box.width / 2, y: box.y + box.height / 2 });

/** Runs in the page: whether `count` nodes are drawn, as React Flow's elements or on the compact layer. */
export function nodesDrawnInPage(count: number): boolean {
  const doc = (globalThis as unknown as { document: PageDocument }).document;
  const layer = doc.querySelectorAll('[data-testid="compact-layer"] li[data-box]').length;
  return Math.max(layer, doc.querySelectorAll(".react-flow__node").length) >= count;
}
