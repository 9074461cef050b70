import type uPlot from "uplot";
import { useHover } from "../store/hover.js";
import type { LiveChartSpec } from "./chartSpecs.js";
import { entriesThatFit } from "./legendFit.js";
import { topLines, type TopLine } from "./topLines.js";

/** The most lines a big chart's legend names; fewer where its three rows hold fewer at the chart's width. */
const NAMED_LINES = 6;
/** The stylesheet's .short-legend: three rows, 8 px between entries; an entry's swatch and gaps. */
const LEGEND_ROWS = 3;
const ITEM_GAP_PX = 8;
const ENTRY_CHROME_PX = 10 + 3 + 3;
/** Canvas text widths and the page's (tabular figures, rounding) differ by a pixel or two. */
const TEXT_SLACK_PX = 4;

export interface ShortLegend {
  /** Names the highest lines now, the pointed-at stage's first; rewrites the DOM only when that changed. */
  refresh(focusedStage: string | null): void;
}

/**
 * The legend of a chart with a line per stage on a big graph, in place of uPlot's table (a row
 * per line: hundreds of rows laid out and painted at every frame of a drag on the canvas, and
 * unreadable): the few lines a user asks about, "+N more", and, as on uPlot's legend, pointing
 * at an entry brings that stage forward everywhere.
 */
export function mountShortLegend(
  plot: uPlot,
  spec: LiveChartSpec,
  colours: readonly string[],
  format: (value: number | null) => string,
  /** Each line's newest sample (the plot's data is thinned: its last point is a bucket's peak). */
  newest: () => readonly (number | null)[],
): ShortLegend {
  const element = document.createElement("div");
  element.className = "short-legend";
  element.dataset.testid = "short-legend";
  plot.root.appendChild(element);
  // While the pointer is on the legend its entries hold still (only their marks change): entries
  // re-sorted under a resting pointer would hand the focus from stage to stage by themselves.
  let pointerInside = false;
  element.addEventListener("mouseenter", () => (pointerInside = true));
  element.addEventListener("mouseleave", () => {
    pointerInside = false;
    if (spec.linesHaveStages) useHover.getState().setHoveredStage(null);
  });
  if (spec.linesHaveStages) {
    element.addEventListener("mouseover", (event) => {
      const stage = (event.target as Element).closest<HTMLElement>(".short-legend-entry")?.dataset.stage;
      if (stage) useHover.getState().setHoveredStage(stage);
    });
  }
  // Entries are measured on a canvas in the legend's font (read once), not by laying the page out.
  const style = getComputedStyle(element);
  const font = `${style.fontSize} ${style.fontFamily}`;
  const measure = document.createElement("canvas").getContext("2d")!;
  let shown = "";
  return {
    refresh(focusedStage) {
      if (pointerInside) {
        for (const entry of element.querySelectorAll<HTMLElement>(".short-legend-entry")) {
          entry.classList.toggle("is-focused", focusedStage !== null && entry.dataset.stage === focusedStage);
        }
        return;
      }
      const { entries, hidden } = topLines(spec.lines, newest(), focusedStage, NAMED_LINES);
      const key = `${entries.map((entry) => `${entry.index}:${format(entry.value)}:${entry.focused}`).join(" ")}+${hidden}`;
      if (key === shown) return;
      shown = key;
      // As many entries as the legend's rows hold at the chart's width, "+N more" always in sight.
      const named = hidden === 0 ? entries : entries.slice(0, fitted(entries, hidden));
      const unnamed = hidden + entries.length - named.length;
      element.replaceChildren(...named.map((entry) => entryElement(entry, colours[entry.index] ?? entry.line.colour, format)));
      if (unnamed === 0) return;
      const more = document.createElement("span");
      more.className = "short-legend-more";
      more.textContent = moreText(unnamed);
      more.title = `${unnamed} more lines: point at a line on the chart, or at a node, to bring its stage forward`;
      element.appendChild(more);
    },
  };

  function fitted(entries: readonly TopLine[], hidden: number): number {
    const text = (value: string, bold = false) => {
      measure.font = bold ? `bold ${font}` : font;
      return measure.measureText(value).width;
    };
    const widths = entries.map(
      (entry) => ENTRY_CHROME_PX + text(entry.line.label, entry.focused) + text(format(entry.value)) + TEXT_SLACK_PX,
    );
    // The count grows by the entries left out: measured at its widest.
    return entriesThatFit(widths, text(moreText(hidden + entries.length)) + TEXT_SLACK_PX, plot.width, LEGEND_ROWS, ITEM_GAP_PX);
  }
}

const moreText = (count: number): string => `+${count} more`;

function entryElement(entry: TopLine, colour: string, format: (value: number | null) => string): HTMLElement {
  const element = document.createElement("span");
  element.className = `short-legend-entry${entry.focused ? " is-focused" : ""}`;
  element.dataset.testid = "short-legend-entry";
  element.dataset.line = entry.line.key;
  if (entry.line.stage) element.dataset.stage = entry.line.stage;
  const swatch = document.createElement("i");
  swatch.className = "short-legend-swatch";
  swatch.style.background = colour;
  const label = document.createElement("span");
  label.className = "short-legend-label";
  label.textContent = entry.line.label;
  const value = document.createElement("span");
  value.className = "short-legend-value";
  value.textContent = format(entry.value);
  element.append(swatch, label, value);
  return element;
}
