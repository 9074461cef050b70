import { describe, expect, it } from "vitest";
import { PipelineBuilder } from "../index.js";
import { list, range } from "./sources.js";
import { buildContext, paramProblems } from "./testing/harness.js";

describe("range", () => {
  it("defaults to 0..99 and rejects a negative or fractional count in plain words", () => {
    expect(range.params.parse({})).toEqual({ count: 100, start: 0 });
    expect(paramProblems(range, { count: -1 })).toEqual([{ path: "params.count", message: "must be an integer ≥ 0, got -1" }]);
    expect(paramProblems(range, { start: 0.5 })).toEqual([{ path: "params.start", message: "must be an integer, got 0.5" }]);
  });

  it("feeds a pipeline count integers from start", async () => {
    const pipeline = new PipelineBuilder()
      .addSource(range.createSource(range.params.parse({ count: 4, start: -2 }), buildContext()))
      .addSink()
      .build();
    const items: unknown[] = [];
    for await (const item of pipeline) items.push(item);
    expect(items).toEqual([-2, -1, 0, 1]);
  });
});

describe("list", () => {
  it("defaults to no items and rejects a non-array", () => {
    expect(list.params.parse({})).toEqual({ items: [] });
    expect(paramProblems(list, { items: "abc" })).toEqual([{ path: "params.items", message: 'must be an array of items, got "abc"' }]);
  });

  it("feeds a pipeline its items in order", async () => {
    const items = [1, "two", { three: 3 }, [4], null];
    const pipeline = new PipelineBuilder()
      .addSource(list.createSource(list.params.parse({ items }), buildContext()))
      .addSink()
      .build();
    const delivered: unknown[] = [];
    for await (const item of pipeline) delivered.push(item);
    expect(delivered).toEqual(items);
  });
});
