/**
 * Numbers as people read them, the same in the CLI, the app and the engine's sentences (profile,
 * bottleneck): items/s, milliseconds, seconds, shares. Dependency-free and free of Node APIs,
 * so the renderer bundles it as it is.
 */

/** Items per second: whole above 100 ("240"), one decimal below ("12.5"). */
export function formatRate(perSecond: number): string {
  return perSecond >= 100 ? perSecond.toFixed(0) : perSecond.toFixed(1);
}

/** A rate for a chart's axis: "850", "1.2k", "25k". */
export function formatCompactRate(perSecond: number): string {
  if (perSecond === 0) return "0";
  if (perSecond >= 1000) return `${(perSecond / 1000).toFixed(perSecond >= 10_000 ? 0 : 1)}k`;
  return formatRate(perSecond);
}

/** Milliseconds with three significant digits or so: "240", "12.5", "1.25". */
export function formatMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

/** A duration given in ms, in seconds with the precision it deserves: "0.125 s", "2.50 s", "42.0 s". */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 1000 ? 3 : ms < 10_000 ? 2 : 1)} s`;
}

/** A running clock or a short total, one decimal so a redrawn display does not jitter: "12.3 s". */
export function formatElapsed(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A share of 1 as a whole percentage: "42%". */
export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/** "1 failure", "2 failures". */
export function formatCount(value: number, noun: string): string {
  return `${value} ${noun}${value === 1 ? "" : "s"}`;
}

/** The run's data readiness as the CLI prints it: "Readiness: 99.7 % (the consumer waited 0.3 % of the time)". */
export function formatReadiness(readiness: number): string {
  const percent = (share: number): string => `${(Math.round(share * 1000) / 10).toFixed(1)} %`;
  return `Readiness: ${percent(readiness)} (the consumer waited ${percent(1 - readiness)} of the time)`;
}

/** A size in bytes: "512 bytes", "3.5 KiB", "16 MiB", "17.2 MiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib) ? `${mib} MiB` : `${mib.toFixed(1)} MiB`;
}
