/**
 * Line colours that stay readable on the dark chart background: a colour with less than 3:1
 * contrast there (WCAG's floor for graphics) is mixed with white until it has it. The light
 * scheme keeps the colours as they are, so a stage keeps its colour across charts and nodes.
 */

/** The charts' background in the dark scheme (the panels' colour, --panel). */
export const DARK_CHART_BACKGROUND = "#1b1f27";
const MIN_LINE_CONTRAST = 3;

function channels(hex: string): [number, number, number] {
  const value = hex.replace("#", "");
  const full = value.length === 3 ? [...value].map((c) => c + c).join("") : value;
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as [number, number, number];
}

/** WCAG's relative luminance of an sRGB colour "#rrggbb". */
export function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG's contrast ratio between two colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}

const hex = (rgb: number[]): string => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;

/** The colour to draw a line in for the scheme: in the dark, lightened until it stands out (≥ 3:1). */
export function lineColour(colour: string, scheme: "light" | "dark"): string {
  if (scheme === "light" || !/^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(colour)) return colour;
  const rgb = channels(colour);
  for (let step = 0; step <= 10; step++) {
    const mixed = hex(rgb.map((c) => c + ((255 - c) * step) / 10));
    if (contrast(mixed, DARK_CHART_BACKGROUND) >= MIN_LINE_CONTRAST) return mixed;
  }
  return "#ffffff";
}
