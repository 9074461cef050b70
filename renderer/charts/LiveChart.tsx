import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { themeColour, useColourScheme, type ColourScheme } from "../colourScheme.js";
import { useHover } from "../store/hover.js";
import { lineColour } from "./chartTheme.js";
import { chartData, chartFloor, type LiveChartSpec } from "./chartSpecs.js";
import { downsample } from "./downsample.js";
import { drawKnobMarkers } from "./knobMarkers.js";
import { mountShortLegend } from "./shortLegend.js";
import { useLiveSeries } from "../store/liveSeries.js";
import { useWorkers } from "../store/workers.js";
import { workerMarkers, type ChartMarker } from "./workerMarkers.js";

/** How far the other lines fade while one stage is highlighted. */
const DIMMED_ALPHA = 0.2;
/** Pixels within which the pointer picks the nearest line on a chart. */
const FOCUS_PROXIMITY = 16;
/**
 * A chart with more lines than this (a big graph: a line per stage) is "big": its legend names only
 * the highest lines (shortLegend.ts) and refreshes once a second.
 */
const FULL_LEGEND_LINES = 16;
const BIG_LEGEND_REFRESH_MS = 1000;
/**
 * A small chart's legend numbers refresh twice a second while its line moves at every snapshot:
 * read by eye, 10 Hz numbers are a blur, and laying them out again at each one cost a 200-stage
 * run's node drag a tenth of its frames (ui bench A/B: 47–50 → 55 fps). The pointer on a chart still
 * shows the values under it at once.
 */
const SMALL_LEGEND_REFRESH_MS = 500;
/**
 * A big chart's lines are a pixel wide: the canvas draws those on its hairline path, and 200 lines
 * at 1.5 px took a redraw 20 ms of the main thread's CPU (10 at 1 px).
 */
const BIG_CHART_LINE_WIDTH = 1;
/** A big chart is redrawn at most twice a second: hundreds of lines at every 10 Hz snapshot take the frames the canvas needs. */
const BIG_CHART_REDRAW_MS = 500;
const BIG_CHART_MIN_POINTS = 32;

const isBig = (spec: LiveChartSpec): boolean => spec.lines.length > FULL_LEGEND_LINES;

const formatValue = (value: number | null | undefined): string =>
  value == null ? "–" : Number.isInteger(value) ? String(value) : value.toFixed(1);

/** Seconds since the run started: "12.5s" in the first minute, "4:05" after. */
function formatSeconds(t: number): string {
  if (t < 60) return `${Number(t.toFixed(2))}s`;
  const whole = Math.round(t);
  const minutes = Math.floor(whole / 60);
  const seconds = whole % 60;
  return `${minutes}:${String(seconds).padStart(2, "0")}`;
}

function plotOptions(spec: LiveChartSpec, width: number, height: number, scheme: ColourScheme): uPlot.Options {
  const floor = () => chartFloor(useLiveSeries.getState().series, spec);
  // The stylesheet's colours for the scheme in force (uPlot draws on a canvas: no CSS reaches it).
  const axis = themeColour("--chart-axis", "#6b7385");
  const grid = { stroke: themeColour("--chart-grid", "rgba(0, 0, 0, 0.07)"), width: 1 };
  return {
    width,
    height,
    // The y axis starts at 0 and reaches at least the chart's floor (capacity, numThreads) with a little headroom.
    scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(floor(), max) * 1.08] } },
    axes: [
      { values: (_u, ticks) => ticks.map(formatSeconds), size: 28, font: "11px system-ui", stroke: axis, grid, ticks: grid },
      { label: spec.unit, labelSize: 14, labelFont: "11px system-ui", size: 40, font: "11px system-ui", stroke: axis, grid, ticks: grid },
    ],
    series: [
      { label: "time", value: (_u, v) => (v == null ? "–" : `${v.toFixed(1)} s`) },
      ...spec.lines.map((line): uPlot.Series => ({
        label: line.label,
        stroke: lineColour(line.colour, scheme),
        width: isBig(spec) ? BIG_CHART_LINE_WIDTH : 1.5,
        dash: line.dash,
        points: { show: false },
        value: (_u, v) => formatValue(v),
      })),
    ],
    // A big chart's legend is its own short one (mounted beside the plot).
    legend: { live: true, show: !isBig(spec) },
    cursor: { focus: { prox: spec.linesHaveStages ? FOCUS_PROXIMITY : -1 }, drag: { x: false, y: false } },
    focus: { alpha: DIMMED_ALPHA },
    hooks: {
      // Pointing at a line highlights its stage everywhere: the hover store carries it to the graph and the other charts.
      setSeries: [
        (_u, index, options) => {
          // uPlot types these options as a Series; at run time they are the setSeries call's { focus } or { show }.
          if ((options as { focus?: boolean }).focus == null) return;
          useHover.getState().setHoveredStage(index == null ? null : (spec.lines[index - 1]?.stage ?? null));
        },
      ],
      setCursor: isBig(spec) ? [] : [showLatestInLegend],
      // After every redraw the scales are current: the markers follow the time axis as it moves.
      // Every chart marks each knob change; the throughput chart says what changed, from → to.
      draw: [
        (u) => drawKnobMarkers(u, useLiveSeries.getState().series.markers(), spec.id === "throughput"),
        ...(spec.workerMarkers ? [placeWorkerMarkers] : []),
      ],
    },
  };
}

/**
 * The remote workers' joins, leaves and stalls as labelled vertical lines over the plot: HTML in
 * uPlot's overlay (so each has a tooltip), rebuilt only when the markers or their places change.
 */
function placeWorkerMarkers(plot: uPlot): void {
  const markers = workerMarkers(useWorkers.getState().view?.events ?? []);
  let layer = plot.over.querySelector<HTMLElement>(".chart-markers");
  if (!layer) {
    layer = document.createElement("div");
    layer.className = "chart-markers";
    plot.over.appendChild(layer);
  }
  const { min, max } = plot.scales.x;
  const shown = markers
    .filter((marker) => min != null && max != null && marker.t >= min && marker.t <= max)
    .map((marker) => ({ marker, left: Math.round(plot.valToPos(marker.t, "x")) }));
  const key = shown.map(({ marker, left }) => `${left}:${marker.title}`).join("\n");
  if (layer.dataset.key === key) return;
  layer.dataset.key = key;
  layer.replaceChildren(...shown.map(({ marker, left }) => markerElement(marker, left)));
}

function markerElement(marker: ChartMarker, left: number): HTMLElement {
  const element = document.createElement("div");
  element.className = `chart-marker chart-marker--${marker.kind}`;
  element.style.left = `${left}px`;
  element.title = marker.title;
  element.dataset.testid = "chart-marker";
  element.dataset.kind = marker.kind;
  element.dataset.worker = marker.worker;
  const label = document.createElement("span");
  label.className = "chart-marker-label";
  label.textContent = marker.label;
  element.appendChild(label);
  return element;
}

/** Brings forward the lines of `stage` and fades the rest; no stage, or none of its lines here, shows all alike. */
function applyFocus(plot: uPlot, spec: LiveChartSpec, stage: string | null): void {
  const anyFocused = stage !== null && spec.lines.some((line) => line.stage === stage);
  const rows = plot.root.querySelectorAll<HTMLElement>(".u-legend tr.u-series");
  spec.lines.forEach((line, i) => {
    const focused = anyFocused && line.stage === stage;
    const alpha = anyFocused && !focused ? DIMMED_ALPHA : 1;
    plot.series[i + 1].alpha = alpha;
    const row = rows[i + 1];
    if (!row) return;
    row.style.opacity = String(alpha);
    row.classList.toggle("is-focused", focused);
    row.classList.toggle("is-dimmed", anyFocused && !focused);
  });
  plot.redraw(false);
}

/** With the pointer off the chart the legend shows the newest values instead of dashes. */
function showLatestInLegend(plot: uPlot): void {
  const length = plot.data[0]?.length ?? 0;
  if (plot.cursor.idx == null && length > 0) plot.setLegend({ idx: length - 1 }, false);
}

/**
 * New data without uPlot's own legend refresh, which rewrites every legend value at each setData
 * (the caller refreshes the legend at its own pace, in `then`). uPlot applies the data in a
 * microtask queued by setData, so the legend is live again in the one queued after it.
 */
function setDataLeavingLegend(plot: uPlot, data: uPlot.AlignedData, then?: () => void): void {
  plot.legend.live = false;
  plot.setData(data);
  queueMicrotask(() => {
    plot.legend.live = true;
    then?.();
  });
}

/** The legend again for the data drawn: the values under the pointer while it is on the chart, else the newest. */
function refreshLegend(plot: uPlot): void {
  if (plot.cursor.idx == null) showLatestInLegend(plot);
  else plot.setLegend({ idx: plot.cursor.idx }, false);
}

/**
 * One uPlot chart fed straight from the live series: a store subscription schedules at most one
 * setData per animation frame, so 10 Hz snapshots never re-render React. Created again only
 * when its lines change (a new graph), sized to its box by a ResizeObserver.
 */
export function LiveChart({ spec }: { spec: LiveChartSpec }) {
  const boxRef = useRef<HTMLDivElement>(null);
  // The system going dark (or light) draws the chart again in that scheme's colours.
  const scheme = useColourScheme();

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const plot = new uPlot(
      plotOptions(spec, Math.max(100, box.clientWidth), Math.max(60, box.clientHeight), scheme),
      chartData(useLiveSeries.getState().series, spec),
      box,
    );

    const big = isBig(spec);
    const shortLegend = big
      ? mountShortLegend(
          plot,
          spec,
          spec.lines.map((line) => lineColour(line.colour, scheme)),
          formatValue,
          () =>
            chartData(useLiveSeries.getState().series, spec)
              .slice(1)
              .map((values) => {
                const value = values[values.length - 1];
                return value === undefined || Number.isNaN(value) ? null : value;
              }),
        )
      : null;

    const fit = () => {
      const legendHeight = plot.root.querySelector<HTMLElement>(".u-legend, .short-legend")?.offsetHeight ?? 0;
      const width = Math.max(100, Math.floor(box.clientWidth));
      const height = Math.max(60, Math.floor(box.clientHeight - legendHeight));
      if (width !== plot.width || height !== plot.height) plot.setSize({ width, height });
    };
    // The legend wraps as the box narrows or its numbers widen: either change re-fits the plot.
    const resizeObserver = new ResizeObserver(fit);
    resizeObserver.observe(box);
    const legend = plot.root.querySelector(".u-legend, .short-legend");
    if (legend) resizeObserver.observe(legend);

    let frame = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let legendTimer: ReturnType<typeof setTimeout> | undefined;
    let legendAt = -Infinity;
    let drawnAt = -Infinity;
    const legendRefreshMs = big ? BIG_LEGEND_REFRESH_MS : SMALL_LEGEND_REFRESH_MS;
    const updateLegend = (now: number) => {
      legendAt = now;
      if (shortLegend) shortLegend.refresh(useHover.getState().stage);
      else refreshLegend(plot);
    };
    const draw = (now = performance.now()) => {
      frame = 0;
      drawnAt = now;
      const data = chartData(useLiveSeries.getState().series, spec);
      // At most one legend refresh per interval, and one after the last draw, so the final figures show.
      const legendDue = now - legendAt >= legendRefreshMs;
      if (big) {
        // A big chart draws a point every other pixel at most (its history is 200 lines × 3 000
        // samples); its legend is its own (shortLegend.ts), which uPlot does not touch.
        plot.setData(downsample(data, Math.max(BIG_CHART_MIN_POINTS, Math.floor(plot.width / 2))) as uPlot.AlignedData);
        if (legendDue) updateLegend(now);
      } else setDataLeavingLegend(plot, data, legendDue ? () => updateLegend(now) : undefined);
      if (!legendDue && legendTimer === undefined) {
        legendTimer = setTimeout(
          () => {
            legendTimer = undefined;
            updateLegend(performance.now());
          },
          legendAt + legendRefreshMs - now,
        );
      }
      plot.root.dataset.points = String(plot.data[0].length);
      // Seconds into the run of the oldest point drawn: a page opened mid-run starts near 0, not at its own opening.
      plot.root.dataset.firstSeconds = String(plot.data[0][0] ?? "");
    };
    const schedule = () => {
      if (frame !== 0 || timer !== undefined) return;
      if (!big) {
        frame = requestAnimationFrame(draw);
        return;
      }
      // A task of its own (not an animation-frame callback, where every chart would draw in one
      // task): each big chart's redraw is a separate, shorter task the browser can put frames between.
      timer = setTimeout(
        () => {
          timer = undefined;
          draw();
        },
        Math.max(0, drawnAt + BIG_CHART_REDRAW_MS - performance.now()),
      );
    };
    const offSeries = useLiveSeries.subscribe((state, previous) => {
      if (state.version !== previous.version) schedule();
    });
    draw();

    applyFocus(plot, spec, useHover.getState().stage);
    let focusTimer: ReturnType<typeof setTimeout> | undefined;
    const focus = () => {
      focusTimer = undefined;
      const stage = useHover.getState().stage;
      applyFocus(plot, spec, stage);
      shortLegend?.refresh(stage);
    };
    const offHover = useHover.subscribe((state, previous) => {
      if (state.stage === previous.stage) return;
      if (!big) focus();
      // A big chart redraws its hundreds of lines in a task of its own: the four charts redrawn
      // in the pointer's event that moved onto a node were one long task.
      else if (focusTimer === undefined) focusTimer = setTimeout(focus, 0);
    });

    return () => {
      offSeries();
      offHover();
      clearTimeout(focusTimer);
      clearTimeout(legendTimer);
      resizeObserver.disconnect();
      if (frame) cancelAnimationFrame(frame);
      clearTimeout(timer);
      plot.destroy();
    };
  }, [spec, scheme]);

  return (
    <section className="live-chart" data-testid={`chart-${spec.id}`}>
      <h4>{spec.title}</h4>
      {spec.lines.length > 0 ? (
        <div className="live-chart-plot" ref={boxRef} />
      ) : (
        <div className="live-chart-note muted small">{spec.emptyNote}</div>
      )}
    </section>
  );
}
