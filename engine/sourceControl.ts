/**
 * Pause / resume / drain, applied where items enter the pipeline: a paused source pulls
 * nothing (stages finish what they hold); a draining source pulls nothing more and ends, so
 * the pipeline completes once the items already inside have been delivered.
 */
export class SourceControl {
  private pausedFlag = false;
  private drainingFlag = false;
  private readonly waiters = new Set<() => void>();

  get paused(): boolean {
    return this.pausedFlag;
  }

  get draining(): boolean {
    return this.drainingFlag;
  }

  pause(): void {
    this.pausedFlag = true;
  }

  resume(): void {
    this.pausedFlag = false;
    this.wake();
  }

  drain(): void {
    this.drainingFlag = true;
    this.wake();
  }

  /** Calls `listener` once, at the next resume or drain. */
  onceReleased(listener: () => void): void {
    this.waiters.add(listener);
  }

  /** Resolves at the next resume or drain. */
  released(): Promise<void> {
    return new Promise((resolve) => this.onceReleased(resolve));
  }

  private wake(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const waiter of waiters) waiter();
  }
}
