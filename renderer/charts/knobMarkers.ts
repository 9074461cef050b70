import type uPlot from "uplot";
import { knobMarkerText, type KnobMarker } from "./knobChanges.js";

/**
 * The run's knob changes on a chart: a dashed vertical line at each, labelled with what changed
 * (from → to) where `labelled`. DOM elements over the plot rather than canvas strokes, so the
 * label is text: readable by a screen reader, selectable, and re-laid out only at the draw that
 * moves it.
 */
export function drawKnobMarkers(plot: uPlot, markers: readonly KnobMarker[], labelled: boolean): void {
  const layer = markerLayer(plot);
  const { min, max } = plot.scales.x;
  const shown = min === undefined || max === undefined ? [] : markers.filter((marker) => marker.seconds >= min && marker.seconds <= max);
  while (layer.children.length > shown.length) layer.lastElementChild?.remove();
  shown.forEach((marker, index) => {
    const element = (layer.children[index] as HTMLElement | undefined) ?? addMarker(layer);
    const text = knobMarkerText(marker);
    element.style.left = `${plot.valToPos(marker.seconds, "x")}px`;
    element.title = `${marker.seconds.toFixed(1)} s: ${text}`;
    const label = element.firstElementChild as HTMLElement;
    label.textContent = labelled ? text : "";
  });
}

function markerLayer(plot: uPlot): HTMLElement {
  const existing = plot.over.querySelector<HTMLElement>(".knob-markers");
  if (existing) return existing;
  const layer = document.createElement("div");
  layer.className = "knob-markers";
  plot.over.append(layer);
  return layer;
}

function addMarker(layer: HTMLElement): HTMLElement {
  const element = document.createElement("div");
  element.className = "knob-marker";
  element.setAttribute("data-testid", "knob-marker");
  const label = document.createElement("span");
  label.className = "knob-marker-label";
  element.append(label);
  layer.append(element);
  return element;
}
