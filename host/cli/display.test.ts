import { afterEach, describe, expect, it, vi } from "vitest";
import type { PipelineSnapshot, StageSnapshot } from "../../engine/index.js";
import type { OutputStream } from "./output.js";
import { liveLines, plainLine, startProgress } from "./progress.js";
import { formatStatsTable } from "./statsTable.js";
import { latencyOf, queueSnapshot, stageSnapshot } from "../../engine/testing/snapshots.js";

/** The live display and the final table, from hand-made snapshots with known figures. */

const latency = (p50Ms: number) => latencyOf(p50Ms);

function stage(name: string, kind: StageSnapshot["kind"], fields: Partial<StageSnapshot> = {}): StageSnapshot {
  return stageSnapshot({ name, kind, ...fields });
}

function queue(from: string, to: string, depth: number, capacity: number) {
  return queueSnapshot({ from: [from], to, depth, capacity });
}

function snapshot(fields: Partial<PipelineSnapshot> = {}): PipelineSnapshot {
  return {
    state: "running",
    paused: false,
    draining: false,
    readiness: null,
    cpu: 0.3,
    elapsedMs: 2500,
    itemsDelivered: 120,
    deliveredPerSecond: 48,
    failures: 1,
    stages: [
      stage("numbers", "source", { itemsOut: 130 }),
      stage("fetch", "pipe", {
        concurrency: 4,
        inFlight: 3,
        itemsIn: 126,
        itemsOut: 121,
        failures: 1,
        latencyMs: latency(20),
        busyFraction: 0.75,
        busyFractionSinceStart: 0.75,
      }),
      stage("resize", "pipe", {
        executor: "pool",
        concurrency: 2,
        inFlight: 2,
        itemsIn: 121,
        itemsOut: 120,
        latencyMs: latency(4.5),
        busyFraction: 1,
        busyFractionSinceStart: 1,
      }),
    ],
    // "sink" is also a stage name here: the sink's queue must still be told apart.
    queues: [queue("numbers", "fetch", 2, 2), queue("fetch", "resize", 1, 3), queue("resize", "sink", 0, 5)],
    pool: { numThreads: 2, maxThreads: 8, busyThreads: 2, waitingTasks: 0, runningCalls: 2, completedCalls: 120, workerDeaths: 0 },
    process: { eventLoopUtilization: 0.2, eventLoopLagMs: { mean: 1, p99: 2, max: 3 }, heapUsedBytes: 1, rssBytes: 1 },
    ...fields,
  };
}

class FakeTerminal implements OutputStream {
  readonly writes: string[] = [];
  constructor(
    readonly isTTY: boolean,
    readonly columns = 100,
  ) {}
  write(text: string): boolean {
    this.writes.push(text);
    return true;
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe("progress", () => {
  it("the live display shows items, items/s, elapsed, and per stage in flight/concurrency and queue depth/capacity", () => {
    expect(liveLines(snapshot())).toEqual([
      "120 items delivered, 48.0 items/s, 2.5 s elapsed",
      "  stage    in flight  queue",
      "  numbers          -      -",
      "  fetch          3/4    2/2",
      "  resize         2/2    1/3",
      "  (sink)                0/5",
    ]);
  });

  it("the plain line carries the same figures on one line", () => {
    expect(plainLine(snapshot())).toBe(
      "progress: 120 items delivered, 48.0 items/s, 2.5 s elapsed | fetch 3/4 in flight, queue 2/2 | resize 2/2 in flight, queue 1/3 | sink queue 0/5",
    );
  });

  it("on a terminal, redraws in place 5-10 times a second and erases itself at the end", () => {
    vi.useFakeTimers();
    const terminal = new FakeTerminal(true);
    let delivered = 0;
    const display = startProgress({ stream: terminal, snapshot: () => snapshot({ itemsDelivered: (delivered += 10) }) });
    expect(terminal.writes[0].startsWith("\x1b[?25l")).toBe(true); // cursor hidden while drawing
    vi.advanceTimersByTime(1000);
    const redraws = terminal.writes.slice(1);
    expect(redraws.length).toBeGreaterThanOrEqual(5);
    expect(redraws.length).toBeLessThanOrEqual(10);
    for (const redraw of redraws) {
      // Back up over the 6 lines drawn before, clear each line as it is rewritten, clear leftovers.
      expect(redraw.startsWith("\x1b[6F\x1b[2K")).toBe(true);
      expect(redraw.split("\n")).toHaveLength(7);
      expect(redraw.endsWith("\n\x1b[J")).toBe(true);
    }
    expect(redraws.at(-1)).toContain(`${delivered} items delivered`);
    display.stop();
    expect(terminal.writes.at(-1)).toBe("\x1b[6F\x1b[J\x1b[?25h");
    const count = terminal.writes.length;
    display.stop();
    vi.advanceTimersByTime(1000);
    expect(terminal.writes).toHaveLength(count);
  });

  it("on a narrow terminal, cuts lines rather than let them wrap (which would break moving back up)", () => {
    vi.useFakeTimers();
    const terminal = new FakeTerminal(true, 30);
    startProgress({ stream: terminal, snapshot: () => snapshot() }).stop();
    const lines = terminal.writes[0].replace("\x1b[?25l", "").replaceAll("\x1b[2K", "").replace("\x1b[J", "").split("\n").slice(0, -1);
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(29);
  });

  it("elsewhere, prints one plain line a second and no escape codes", () => {
    vi.useFakeTimers();
    const log = new FakeTerminal(false);
    const display = startProgress({ stream: log, snapshot: () => snapshot() });
    vi.advanceTimersByTime(999);
    expect(log.writes).toEqual([]);
    vi.advanceTimersByTime(2001);
    expect(log.writes).toEqual([`${plainLine(snapshot())}\n`, `${plainLine(snapshot())}\n`, `${plainLine(snapshot())}\n`]);
    display.stop();
    vi.advanceTimersByTime(5000);
    expect(log.writes).toHaveLength(3);
  });
});

describe("final table", () => {
  it("has a row per stage with whole-run rates, then the totals and the pool", () => {
    const table = formatStatsTable(snapshot({ state: "completed" }), "completed");
    expect(table.split("\n")).toEqual([
      "stage    runs on  conc   in  out  failed  p50 ms  p90 ms  p99 ms  busy  items/s",
      "numbers  loop        -    -  130       0       -       -       -     -     52.0",
      "fetch    loop        4  126  121       1    20.0    40.0    60.0   75%     48.4",
      "resize   pool        2  121  120       0    4.50    9.00    13.5  100%     48.0",
      "total: 120 items delivered in 2.50 s (48.0 items/s), 1 failure — completed",
      "pool: 2 threads, 120 calls, 0 worker deaths",
    ]);
  });

  it("marks a stage that blocks the event loop, and shows no latency for a stage that took no items", () => {
    const table = formatStatsTable(
      snapshot({
        pool: null,
        failures: 0,
        stages: [stage("hash", "pipe", { blocksEventLoop: true, itemsIn: 3, itemsOut: 3 }), stage("idle", "pipe")],
      }),
      "stopped",
    );
    const rows = table.split("\n").map((line) => line.split(/\s{2,}/));
    expect(rows[1].slice(0, 2)).toEqual(["hash", "loop (blocks)"]);
    expect(rows[2]).toEqual(["idle", "loop", "1", "0", "0", "0", "-", "-", "-", "0%", "0.0"]);
    expect(rows.at(-1)?.join("  ")).toMatch(/0 failures — stopped$/);
  });

  it("shows a route's stages under it with their path, and the items routed down each path", () => {
    const table = formatStatsTable(
      snapshot({
        pool: null,
        stages: [
          stage("numbers", "source", { itemsOut: 10 }),
          stage("pick", "route", { itemsIn: 10, itemsOut: 10, routed: [7, 3], latencyMs: latency(0.1) }),
          stage("small", "pipe", { itemsIn: 7, itemsOut: 7, path: { route: "pick", index: 0 } }),
          stage("inner", "route", { itemsIn: 3, itemsOut: 3, routed: [3, 0], path: { route: "pick", index: 1 } }),
          stage("big", "pipe", { itemsIn: 3, itemsOut: 3, path: { route: "inner", index: 0 } }),
          stage("join", "pipe", { itemsIn: 10, itemsOut: 10 }),
        ],
      }),
      "completed",
    );
    const names = table.split("\n").map((line) => /^\s*\S+(?: \S+)?/.exec(line)![0]);
    expect(names.slice(1, 7)).toEqual(["numbers", "pick", "  0: small", "  1: inner", "    0: big", "join"]);
    expect(table).toContain("pick routed: path 0 7 (70%) · path 1 3 (30%)");
    expect(table).toContain("inner routed: path 0 3 (100%) · path 1 0 (0%)");
  });
});
