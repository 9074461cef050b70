/**
 * A share of time over the last second or so, from a running total of milliseconds (the CPU's
 * time, the consumer's waiting): what the live chart draws, so it shows the run as it is now
 * rather than averaged since its start.
 */
export class RecentShare {
  private readonly points: { at: number; total: number }[] = [];

  constructor(private readonly windowMs = 1000) {}

  /**
   * Adds the total at `at` (ms since the run started); returns the share over the last
   * `windowMs` (or since the first point while the run is younger), or null for the first point.
   */
  add(at: number, total: number): number | null {
    this.points.push({ at, total });
    // Keep one point at or before the window's start: the share spans the whole window.
    while (this.points.length > 2 && this.points[1].at <= at - this.windowMs) this.points.shift();
    const first = this.points[0];
    if (this.points.length < 2 || at <= first.at) return null;
    return Math.min(1, Math.max(0, (total - first.total) / (at - first.at)));
  }
}
