/** Counts of what happened, by label, in the order first seen; a few examples of the unexpected kept for the report. */
export class Tally {
  private readonly counts = new Map<string, number>();
  /** The first few unexpected things, described; empty when all went as expected. */
  readonly surprises: string[] = [];

  count(label: string): void {
    this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
  }

  /** Counts `label` and keeps `detail` (the first few only) as something that should not have happened. */
  surprise(label: string, detail: string): void {
    this.count(label);
    if (this.surprises.length < 5) this.surprises.push(detail);
  }

  /** "label n, label n" (or "none"). */
  line(): string {
    return [...this.counts].map(([label, n]) => `${label} ${n}`).join(", ") || "none";
  }
}
