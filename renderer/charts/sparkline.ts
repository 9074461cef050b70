import { SAMPLES_PER_SECOND } from "./timeSeries.js";

/** The queue sparkline on an edge label: the last 30 seconds of depth, drawn against capacity. */
export const SPARKLINE_SECONDS = 30;
export const SPARKLINE_SAMPLES = SPARKLINE_SECONDS * SAMPLES_PER_SECOND;
/** A run younger than this still spans the whole width (5 s), so a short run is a line, not a dot at the right edge. */
export const SPARKLINE_MIN_SAMPLES = 5 * SAMPLES_PER_SECOND;
export const SPARKLINE_WIDTH = 44;
export const SPARKLINE_HEIGHT = 12;
/** Fewer points than samples: a 44-pixel line cannot show 300 values, so each point is a bucket's maximum (a brief full queue still shows). */
export const SPARKLINE_POINTS = 60;

/** The samples the sparkline's width stands for: the run so far, at least 5 s, at most 30 s. */
export const sparklineSlots = (available: number): number => Math.min(SPARKLINE_SAMPLES, Math.max(SPARKLINE_MIN_SAMPLES, available));

/**
 * SVG polyline points for `depths` (oldest first) covering `slots` samples: the newest sits at
 * the right edge and a run younger than the window fills from the right. y is scaled to
 * `capacity` (a full queue touches the top), or to the largest depth if that is larger.
 */
export function sparklinePoints(
  depths: ArrayLike<number>,
  slots: number,
  capacity: number,
  width = SPARKLINE_WIDTH,
  height = SPARKLINE_HEIGHT,
  points = SPARKLINE_POINTS,
): string {
  if (depths.length === 0 || slots < 1) return "";
  const perPoint = Math.max(1, Math.ceil(slots / points));
  const step = width / Math.max(1, Math.ceil(slots / perPoint) - 1);
  // Buckets are counted back from the newest sample so the right edge is always "now".
  const peaks: number[] = [];
  for (let end = depths.length; end > 0; end -= perPoint) {
    let peak = 0;
    for (let i = Math.max(0, end - perPoint); i < end; i++) peak = Math.max(peak, depths[i]);
    peaks.push(peak);
  }
  const top = Math.max(capacity, ...peaks) || 1;
  const coords: string[] = [];
  for (let b = peaks.length - 1; b >= 0; b--) coords.push(`${round(width - b * step)},${round(height - (peaks[b] / top) * height)}`);
  return coords.join(" ");
}

const round = (value: number): number => Math.round(value * 10) / 10;
