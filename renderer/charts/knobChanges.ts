/** A knob's value changed between two samples of a run: which knob, from what, to what. */
export interface KnobChange {
  knob: string;
  from: number;
  to: number;
}

/** The knob changes seen at one sample, at its time (seconds since the run started). */
export interface KnobMarker {
  seconds: number;
  changes: KnobChange[];
}

/**
 * The knobs' values that changed from `before` to `after` (both by knob name). A knob new in
 * `after` (a stage seen for the first time) is no change: it has no earlier value.
 */
export function knobChanges(before: Readonly<Record<string, number>>, after: Readonly<Record<string, number>>): KnobChange[] {
  const changes: KnobChange[] = [];
  for (const [knob, to] of Object.entries(after)) {
    const from = before[knob];
    if (from !== undefined && from !== to) changes.push({ knob, from, to });
  }
  return changes;
}

/** How a marker reads on the chart: "download concurrency 2 → 6, numThreads 3 → 4". */
export function knobMarkerText(marker: KnobMarker): string {
  return marker.changes.map((change) => `${change.knob} ${change.from} → ${change.to}`).join(", ");
}
