import type { PipelineSnapshot } from "../stats/snapshot.js";
import type { BottleneckVerdict } from "./bottleneck.js";
import { settingsKey, threadsUsed, type TuneSettings } from "./tuneSettings.js";

/** A stage this busy (slots in use ÷ concurrency) might go faster with more slots. */
const BUSY = 0.5;

/**
 * Settings worth trying next, most promising first: lift what the bottleneck finder says
 * limits throughput; failing a verdict, give the busiest stages more slots.
 */
export function proposeMoves(
  current: TuneSettings,
  snapshot: PipelineSnapshot,
  verdict: BottleneckVerdict,
  bounds: { budget: number; maxConcurrency: number },
): TuneSettings[] {
  /** Half as many again (at least one more), within what the budget has left. */
  const raised = (now: number, room: number): number => Math.min(now + room, Math.max(now + 1, Math.ceil(now * 1.5)));
  const moreThreads = (settings: TuneSettings): TuneSettings | null => {
    const room = bounds.budget - threadsUsed(settings);
    return room <= 0 ? null : { ...settings, numThreads: raised(settings.numThreads, room) };
  };
  const moreWorkerThreads = (settings: TuneSettings, stage: string): TuneSettings | null => {
    const now = settings.workerThreads?.[stage];
    const room = bounds.budget - threadsUsed(settings);
    if (now === undefined || room <= 0) return null;
    return { ...settings, workerThreads: { ...settings.workerThreads, [stage]: raised(now, room) } };
  };
  const moreSlots = (settings: TuneSettings, stage: string): TuneSettings | null => {
    const now = settings.concurrency[stage];
    if (now === undefined || now >= bounds.maxConcurrency) return null;
    return { ...settings, concurrency: { ...settings.concurrency, [stage]: Math.min(bounds.maxConcurrency, now * 2) } };
  };
  const executorOf = (stage: string) => snapshot.stages.find((candidate) => candidate.name === stage)?.executor;
  /** A stage whose calls run on threads: the pool's, or (remote) its workers'. */
  const threaded = (stage: string) => executorOf(stage) === "pool" || executorOf(stage) === "remote";
  /** More of what runs the stage's calls: its workers' threads for a remote stage, else the pool's. */
  const moreCapacity = (settings: TuneSettings, stage: string) =>
    executorOf(stage) === "remote" ? moreWorkerThreads(settings, stage) : moreThreads(settings);
  const both = (stage: string) => {
    const slots = moreSlots(current, stage);
    return slots && moreCapacity(slots, stage);
  };

  const moves: Array<TuneSettings | null> = [];
  const limiting = verdict.stages.find((diagnosis) => diagnosis.stage === verdict.stage);
  if (limiting?.condition === "pool-bound")
    moves.push(moreCapacity(current, limiting.stage), both(limiting.stage), moreSlots(current, limiting.stage));
  else if (limiting?.condition === "bottleneck") {
    moves.push(moreSlots(current, limiting.stage));
    if (threaded(limiting.stage)) moves.push(both(limiting.stage), moreCapacity(current, limiting.stage));
  }
  // Then every stage that looks busy, the busiest first (the verdict may have judged a noisy second).
  for (const diagnosis of [...verdict.stages].sort((a, b) => b.busy - a.busy)) {
    if (diagnosis.busy < BUSY || diagnosis.condition === "event-loop-bound") continue;
    moves.push(moreSlots(current, diagnosis.stage));
    if (threaded(diagnosis.stage)) moves.push(moreCapacity(current, diagnosis.stage), both(diagnosis.stage));
  }
  return distinct(moves);
}

/**
 * Cheaper settings to try once the goal is reached, the largest saving first: fewer pool threads
 * (half, then one fewer), then fewer slots for each stage, the least busy first (half as many).
 * The readiness objective keeps one only when the goal still holds.
 */
export function cheaperMoves(current: TuneSettings, verdict: BottleneckVerdict): TuneSettings[] {
  const threads = current.numThreads;
  const moves: Array<TuneSettings | null> = [];
  if (threads >= 4) moves.push({ ...current, numThreads: Math.floor(threads / 2) });
  if (threads > 1) moves.push({ ...current, numThreads: threads - 1 });
  const busy = (stage: string) => verdict.stages.find((diagnosis) => diagnosis.stage === stage)?.busy ?? 0;
  for (const stage of Object.keys(current.concurrency).sort((a, b) => busy(a) - busy(b))) {
    const now = current.concurrency[stage];
    if (now > 1) moves.push({ ...current, concurrency: { ...current.concurrency, [stage]: Math.floor(now / 2) } });
  }
  return distinct(moves);
}

/** The moves that exist, each once, in order. */
function distinct(moves: Array<TuneSettings | null>): TuneSettings[] {
  const seen = new Set<string>();
  return moves.filter((move): move is TuneSettings => {
    if (!move) return false;
    const key = settingsKey(move);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
