import type { PipelineSnapshot } from "../engine/stats/snapshot.js";

/** Snapshots at least this far apart are kept: a page that connects mid-run redraws its charts from them. */
const KEEP_EVERY_MS = 500;
/** The charts' window (5 minutes) at one snapshot per KEEP_EVERY_MS. */
const CAPACITY = (5 * 60 * 1000) / KEEP_EVERY_MS;

/**
 * A run's recent snapshots, thinned to two a second and bounded to the charts' five minutes, so
 * a page opened (or reloaded) during a run gets the history the charts show, not only what
 * follows. The latest snapshot is always at hand, thinned or not.
 */
export class SnapshotTrail {
  private readonly kept: PipelineSnapshot[] = [];
  private last: PipelineSnapshot | null = null;

  record(snapshot: PipelineSnapshot): void {
    this.last = snapshot;
    const previous = this.kept[this.kept.length - 1];
    if (previous && snapshot.elapsedMs - previous.elapsedMs < KEEP_EVERY_MS) return;
    this.kept.push(snapshot);
    if (this.kept.length > CAPACITY) this.kept.splice(0, this.kept.length - CAPACITY);
  }

  get latest(): PipelineSnapshot | null {
    return this.last;
  }

  /** Oldest first, ending with the latest snapshot. */
  history(): PipelineSnapshot[] {
    const history = [...this.kept];
    if (this.last && history[history.length - 1] !== this.last) history.push(this.last);
    return history;
  }
}
