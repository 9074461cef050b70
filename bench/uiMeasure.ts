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
