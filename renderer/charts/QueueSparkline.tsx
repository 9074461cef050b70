import { SPARKLINE_HEIGHT, SPARKLINE_SAMPLES, SPARKLINE_SECONDS, SPARKLINE_WIDTH, sparklinePoints, sparklineSlots } from "./sparkline.js";
import { useLiveSeries } from "../store/liveSeries.js";

/**
 * The last 30 s of an edge's queue depth (all of a younger run), scaled to its capacity. The selector returns the
 * polyline's points, so the label re-renders only when the drawn line changes (at most 10 Hz).
 */
export function QueueSparkline({ edge, capacity }: { edge: string; capacity: number }) {
  const points = useLiveSeries((s) => {
    const depths = s.series.recentQueueDepth(edge, SPARKLINE_SAMPLES);
    return sparklinePoints(depths, sparklineSlots(depths.length), s.series.queueCapacity(edge) ?? capacity);
  });
  if (!points) return null;
  return (
    <svg
      className="queue-sparkline"
      width={SPARKLINE_WIDTH}
      height={SPARKLINE_HEIGHT}
      viewBox={`0 0 ${SPARKLINE_WIDTH} ${SPARKLINE_HEIGHT}`}
      data-testid={`sparkline-${edge}`}
      data-points={points.split(" ").length}
      aria-label={`queue depth over the last ${SPARKLINE_SECONDS} s against capacity ${capacity}`}
    >
      <polyline points={points} />
    </svg>
  );
}
