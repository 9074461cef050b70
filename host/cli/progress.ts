import type { PipelineSnapshot, QueueSnapshot } from "../../engine/index.js";
import { formatElapsed, formatRate } from "../../engine/format.js";
import { columns } from "./columns.js";
import type { OutputStream } from "./output.js";

export interface ProgressOptions {
  stream: OutputStream;
  snapshot: () => PipelineSnapshot;
  /** Redraw period on a terminal (default 150 ms: smooth without flicker). */
  liveIntervalMs?: number;
  /** Line period when stderr is a file or a pipe (default 1 s: logs stay readable). */
  plainIntervalMs?: number;
}

export interface ProgressDisplay {
  /** Erases the live display (or stops the lines); safe to call more than once. */
  stop(): void;
}

const ESC = "\x1b[";
const HIDE_CURSOR = `${ESC}?25l`;
const SHOW_CURSOR = `${ESC}?25h`;
const CLEAR_LINE = `${ESC}2K`;
const CLEAR_BELOW = `${ESC}J`;
const linesUp = (count: number) => `${ESC}${count}F`;

/**
 * Shows a run's progress on stderr: redrawn in place on a terminal, plain lines otherwise, since
 * cursor movement in a log file or CI output is garbage.
 */
export function startProgress(options: ProgressOptions): ProgressDisplay {
  return options.stream.isTTY ? startLive(options) : startPlain(options);
}

function startLive({ stream, snapshot, liveIntervalMs = 150 }: ProgressOptions): ProgressDisplay {
  let drawn = 0;
  let stopped = false;
  const draw = () => {
    // Wrapped lines would break the count of lines to move up: keep each within the width.
    const width = Math.max((stream.columns || 80) - 1, 20);
    const lines = liveLines(snapshot()).map((line) => line.slice(0, width));
    const back = drawn > 0 ? linesUp(drawn) : HIDE_CURSOR;
    stream.write(back + lines.map((line) => `${CLEAR_LINE}${line}\n`).join("") + CLEAR_BELOW);
    drawn = lines.length;
  };
  draw();
  const timer = setInterval(draw, liveIntervalMs);
  timer.unref();
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      stream.write((drawn > 0 ? linesUp(drawn) + CLEAR_BELOW : "") + SHOW_CURSOR);
    },
  };
}

function startPlain({ stream, snapshot, plainIntervalMs = 1000 }: ProgressOptions): ProgressDisplay {
  const timer = setInterval(() => stream.write(`${plainLine(snapshot())}\n`), plainIntervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** The live display: a headline, then one row per stage and one for the sink's buffer. */
export function liveLines(snapshot: PipelineSnapshot): string[] {
  const { inputOf, sinkQueue } = queuesByStage(snapshot);
  const rows: string[][] = [["stage", "in flight", "queue"]];
  for (const stage of snapshot.stages) {
    const queue = inputOf.get(stage.name);
    rows.push([stage.name, stage.kind === "pipe" ? `${stage.inFlight}/${stage.concurrency}` : "-", queue ? queueFill(queue) : "-"]);
  }
  if (sinkQueue) rows.push(["(sink)", "", queueFill(sinkQueue)]);
  return [headline(snapshot), ...columns(rows).map((line) => `  ${line}`)];
}

/** One line a log can hold: the same figures as the live display. */
export function plainLine(snapshot: PipelineSnapshot): string {
  const { inputOf, sinkQueue } = queuesByStage(snapshot);
  const stages = snapshot.stages
    .filter((stage) => stage.kind !== "source")
    .map((stage) => {
      const queue = inputOf.get(stage.name);
      const calls = stage.kind === "pipe" ? ` ${stage.inFlight}/${stage.concurrency} in flight,` : "";
      return `${stage.name}${calls} queue ${queue ? queueFill(queue) : "-"}`;
    });
  if (sinkQueue) stages.push(`sink queue ${queueFill(sinkQueue)}`);
  return `progress: ${headline(snapshot)}${stages.length > 0 ? ` | ${stages.join(" | ")}` : ""}`;
}

/** "3/8"; an unbounded queue (capacity 0, the sink's buffer only) "3/∞". */
function queueFill(queue: { depth: number; capacity: number }): string {
  return `${queue.depth}/${queue.capacity === 0 ? "∞" : queue.capacity}`;
}

function headline(snapshot: PipelineSnapshot): string {
  return `${snapshot.itemsDelivered} items delivered, ${formatRate(snapshot.deliveredPerSecond)} items/s, ${formatElapsed(snapshot.elapsedMs)} elapsed`;
}

/**
 * Each stage's input queue, and the sink's. The sink's queue is the last one the engine lists
 * with consumer "sink"; matching on the object keeps a stage that is itself named "sink" apart.
 */
function queuesByStage(snapshot: PipelineSnapshot): { inputOf: Map<string, QueueSnapshot>; sinkQueue: QueueSnapshot | undefined } {
  const sinkQueue = snapshot.queues.findLast((queue) => queue.to === "sink");
  const inputOf = new Map<string, QueueSnapshot>();
  for (const queue of snapshot.queues) if (queue !== sinkQueue) inputOf.set(queue.to, queue);
  return { inputOf, sinkQueue };
}
