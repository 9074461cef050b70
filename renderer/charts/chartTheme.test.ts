import { describe, expect, it } from "vitest";
import { contrast, DARK_CHART_BACKGROUND, lineColour } from "./chartTheme.js";
import { CONSUMER_COLOURS, POOL_COLOURS, SINK_COLOUR, stageColour } from "./seriesColours.js";

describe("chart colours in the dark", () => {
  it("computes WCAG contrast ratios", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrast("#777777", "#777777")).toBe(1);
    expect(contrast("#6b7385", "#ffffff")).toBeGreaterThan(4.5);
  });

  it("keeps every line colour as it is in the light scheme", () => {
    expect(lineColour("#6b5b95", "light")).toBe("#6b5b95");
  });

  it("lightens a line too dark to see on the dark background, and keeps the rest", () => {
    expect(contrast(CONSUMER_COLOURS.cpu, DARK_CHART_BACKGROUND)).toBeLessThan(3);
    const lighter = lineColour(CONSUMER_COLOURS.cpu, "dark");
    expect(lighter).not.toBe(CONSUMER_COLOURS.cpu);
    expect(contrast(lighter, DARK_CHART_BACKGROUND)).toBeGreaterThanOrEqual(3);
    expect(lineColour("#f28e2b", "dark")).toBe("#f28e2b");
  });

  it("makes every colour the charts use readable in the dark", () => {
    const colours = [
      ...Array.from({ length: 12 }, (_, i) =>
        stageColour(
          `s${i}`,
          Array.from({ length: 12 }, (_, j) => `s${j}`),
        ),
      ),
      SINK_COLOUR,
      ...Object.values(POOL_COLOURS),
      ...Object.values(CONSUMER_COLOURS),
    ];
    for (const colour of colours) expect(contrast(lineColour(colour, "dark"), DARK_CHART_BACKGROUND), colour).toBeGreaterThanOrEqual(3);
  });
});
