/**
 * A chart's aligned data (time, then one array per line) thinned to at most `maxPoints` points
 * per line, for a chart with hundreds of lines: a plot 180 px wide shows no more than a point
 * every other pixel, and five minutes of 10 Hz samples on 200 lines are 600 000 points to trace
 * at each redraw. Consecutive samples merge into buckets counted from the oldest; each bucket is
 * drawn at its newest time with its highest value, so a peak (a queue reaching its capacity, a
 * burst of throughput) stays on the chart where a mean or a stride would lose it.
 */
export function downsample(data: readonly Float64Array[], maxPoints: number): Float64Array[] {
  const time = data[0];
  if (!time || time.length <= maxPoints || maxPoints < 1) return [...data];
  const size = Math.ceil(time.length / maxPoints);
  const buckets = Math.ceil(time.length / size);
  return data.map((values, line) => {
    const out = new Float64Array(buckets);
    for (let bucket = 0; bucket < buckets; bucket++) {
      const start = bucket * size;
      const end = Math.min(values.length, start + size);
      if (line === 0) {
        out[bucket] = values[end - 1]!;
        continue;
      }
      // NaN (no value) only when the whole bucket has none.
      let highest = Number.NaN;
      for (let i = start; i < end; i++) {
        const value = values[i]!;
        if (value > highest || (Number.isNaN(highest) && !Number.isNaN(value))) highest = value;
      }
      out[bucket] = highest;
    }
    return out;
  });
}
