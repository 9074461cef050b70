import { PATH_COLOURS } from "../graph/model.js";
import type { QueueMetrics } from "../store/metrics.js";

/** NiFi's back-pressure colours: green below 60 %, amber below 85 %, red above. */
export function fillColour(fraction: number): "green" | "amber" | "red" {
  if (fraction < 0.6) return "green";
  if (fraction < 0.85) return "amber";
  return "red";
}

/** A queue's fill as a colour: "idle" before the run reports it. */
export type WireColour = ReturnType<typeof fillColour> | "idle";

export const fillFraction = (queue: QueueMetrics, capacity: number): number => (capacity > 0 ? Math.min(1, queue.depth / capacity) : 0);

/** The colour a queue's wire takes from its fill (none before the run reports the queue). */
export const wireColourOf = (queue: QueueMetrics | undefined): WireColour =>
  queue ? fillColour(fillFraction(queue, queue.capacity)) : "idle";

/** A wire's classes: its fill colour, a route path's colour (which wins), selected. */
export function wireClass(colour: WireColour, colourPath: number | undefined, selected: boolean | undefined): string {
  const path = colourPath !== undefined ? ` queue-edge--path-${colourPath % PATH_COLOURS}` : "";
  return `queue-edge queue-edge--${colour}${path}${selected ? " is-selected" : ""}`;
}
