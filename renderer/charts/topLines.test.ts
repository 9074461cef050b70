import { describe, expect, it } from "vitest";
import type { ChartLine } from "./chartSpecs.js";
import { topLines } from "./topLines.js";

const line = (stage: string): ChartLine => ({ key: stage, label: stage, colour: "#000000", stage });
const lines = ["a", "b", "c", "d", "e"].map(line);

describe("topLines", () => {
  it("names the highest lines now, highest first, and counts the rest", () => {
    const { entries, hidden } = topLines(lines, [5, 40, 12, 40, 1], null, 3);
    // Equal values keep the chart's order.
    expect(entries.map((e) => [e.line.stage, e.value])).toEqual([
      ["b", 40],
      ["d", 40],
      ["c", 12],
    ]);
    expect(entries.map((e) => e.index)).toEqual([1, 3, 2]);
    expect(hidden).toBe(2);
  });

  it("puts the pointed-at stage's lines first, even when they are low", () => {
    const queues: ChartLine[] = [line("a"), { ...line("e"), key: "x->e" }, line("c"), { ...line("e"), key: "y->e" }];
    const { entries, hidden } = topLines(queues, [9, 0, 7, 1], "e", 2);
    // Among them too, the higher first.
    expect(entries.map((e) => [e.line.key, e.focused])).toEqual([
      ["y->e", true],
      ["x->e", true],
    ]);
    expect(hidden).toBe(2);
    // Fewer focused lines than room: the highest fill the rest.
    expect(topLines(lines, [9, 0, 7, 1, 0], "b", 3).entries.map((e) => e.line.stage)).toEqual(["b", "a", "c"]);
  });

  it("ranks a line without a value yet last, and shows it as none", () => {
    const { entries } = topLines(lines, [null, undefined, 3], null, 5);
    expect(entries.map((e) => [e.line.stage, e.value])).toEqual([
      ["c", 3],
      ["a", null],
      ["b", null],
      ["d", null],
      ["e", null],
    ]);
  });

  it("names every line of a chart that has no more than room for", () => {
    expect(topLines(lines.slice(0, 2), [1, 2], null, 6)).toMatchObject({ hidden: 0 });
  });
});
