import { describe, expect, it } from "vitest";
import { problemsFromIssues } from "../spec/problems.js";
import type { StageOpDefinition } from "./catalog.js";
import { catalog, RouteByError } from "./index.js";
import type { RouteByParams } from "./routing.js";

const routeBy = catalog.get("routeBy") as unknown as StageOpDefinition<RouteByParams>;
const context = { baseDir: ".", runOn: null };

/** The router routeBy makes of `params`, as a route node builds it. */
function router(params: Record<string, unknown>): (item: unknown) => number {
  return routeBy.createOp(routeBy.params.parse(params), context) as (item: unknown) => number;
}

function problems(params: Record<string, unknown>) {
  const parsed = routeBy.params.safeParse(params, { reportInput: true });
  return parsed.success ? [] : problemsFromIssues(parsed.error.issues, ["params"]);
}

describe("routeBy", () => {
  it("by a field's value: values[i] → path i, an array entry lists several values, otherwise a path", () => {
    const route = router({ field: "kind", values: [["jpg", "png"], "mp4"], otherwise: 2 });
    expect(["png", "jpg", "mp4", "gif"].map((kind) => route({ kind }))).toEqual([0, 0, 1, 2]);
    expect(routeBy.routes!(routeBy.params.parse({ field: "kind", values: ["a", "b"], otherwise: 2 }))).toBe(3);
  });

  it('by a nested field, compared as JSON (1 and 1.0 alike, "1" and 1 not)', () => {
    const route = router({ field: "meta.size", values: [1, "1"] });
    expect(route({ meta: { size: 1.0 } })).toBe(0);
    expect(route({ meta: { size: "1" } })).toBe(1);
  });

  it("by the item's own value when no field is named", () => {
    expect([3, 4, 9].map(router({ values: [[3, 9]], otherwise: 1 }))).toEqual([0, 1, 0]);
    expect(() => router({ values: [1] })(2)).toThrow('the item is 2, which values does not list (and otherwise is "fail")');
  });

  it('fails an item whose value is not listed with otherwise "fail", or that has no such field', () => {
    const route = router({ field: "kind", values: ["a"] });
    expect(() => route({ kind: "b" })).toThrow(new RouteByError('kind is "b", which values does not list (and otherwise is "fail")'));
    expect(() => route({ size: 3 })).toThrow(new RouteByError('the item has no field kind (got {"size":3})'));
    expect(() => route(7)).toThrow("the item has no field kind (got 7)");
  });

  it("by hash modulo n: an integer by its own value, anything else by a stable hash of its JSON", () => {
    const route = router({ modulo: 3 });
    expect([0, 1, 2, 3, 4, -1].map(route)).toEqual([0, 1, 2, 0, 1, 2]);
    const byName = router({ field: "name", modulo: 4 });
    const names = Array.from({ length: 200 }, (_, index) => `file-${index}`);
    const paths = names.map((name) => byName({ name }));
    expect(paths).toEqual(names.map((name) => byName({ name })));
    // Every path gets a fair share (a generous margin: 200 names over 4 paths).
    for (let path = 0; path < 4; path++) expect(paths.filter((p) => p === path).length).toBeGreaterThan(25);
  });

  it("with no params, spreads items over 2 paths (a new route node routes at once)", () => {
    const defaults = routeBy.params.parse({});
    expect(defaults).toEqual({ field: null, values: null, otherwise: "fail", modulo: null });
    expect(routeBy.routes!(defaults)).toBe(2);
    expect([10, 11].map(router({}))).toEqual([0, 1]);
  });

  it("says which param is wrong, at its path", () => {
    expect(problems({ values: ["a"], modulo: 2 })).toEqual([
      { path: "params.modulo", message: "route by values or by modulo, not both: drop one, got 2" },
    ]);
    expect(problems({ field: "kind", values: [] })).toEqual([{ path: "params.values", message: "must list at least one value, got []" }]);
    expect(problems({ modulo: 0 })).toEqual([{ path: "params.modulo", message: "must be an integer ≥ 1, got 0" }]);
    expect(problems({ field: "kind", values: ["a"], otherwise: -1 })).toEqual([
      { path: "params.otherwise", message: 'must be a path index (an integer ≥ 0) or "fail", got -1' },
    ]);
  });
});
