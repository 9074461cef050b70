/**
 * Each node kind's colour: a full node's top border (styles.css), the compact layer's drawing of
 * it and its minimap rectangle. The stage's green is the theme's where the page has one.
 */
export const KIND_COLOURS: Readonly<Record<string, string>> = {
  source: "#5b8def",
  stage: "#2f9e6e",
  aggregate: "#c98a1b",
  disaggregate: "#c98a1b",
  sink: "#8a63d2",
  route: "#d0568a",
};
