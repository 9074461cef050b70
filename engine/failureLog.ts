import { inspect } from "node:util";
import type { StageFailure } from "./errors.js";

const PREVIEW_CHARS = 120;

/** A short single-line preview of an item, safe for any value (huge, circular, binary). */
export function previewItem(item: unknown): string {
  let text: string;
  try {
    text = inspect(item, { depth: 1, maxArrayLength: 8, maxStringLength: PREVIEW_CHARS, breakLength: Infinity, compact: true });
  } catch {
    text = Object.prototype.toString.call(item);
  }
  text = text.replace(/\s+/g, " ");
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text;
}

/** The most recent failures of a run, oldest dropped first, so a long run's memory stays flat. */
export class FailureLog {
  private readonly ring: StageFailure[] = [];
  private next = 0;
  total = 0;

  constructor(readonly capacity = 100) {}

  add(failure: StageFailure): void {
    this.total++;
    if (this.ring.length < this.capacity) this.ring.push(failure);
    else this.ring[this.next] = failure;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Oldest first. */
  entries(): StageFailure[] {
    if (this.ring.length < this.capacity) return [...this.ring];
    return [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }

  forStage(stage: string, limit = 5): StageFailure[] {
    return this.entries()
      .filter((failure) => failure.stage === stage)
      .slice(-limit);
  }
}
