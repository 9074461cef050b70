import { describe, expect, it } from "vitest";
import { previewJson } from "./previewJson.js";

function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < levels; level++) value = [value];
  return value;
}

describe("previewJson", () => {
  it("shows short values as JSON", () => {
    expect(previewJson({ a: [1, "x", null, true] })).toBe('{"a":[1,"x",null,true]}');
    expect(previewJson('say "hi"')).toBe('"say \\"hi\\""');
  });

  it("says NaN and Infinity rather than JSON's null", () => {
    expect(previewJson([Number.NaN, Number.POSITIVE_INFINITY])).toBe("[NaN,Infinity]");
  });

  it("cuts at the limit, whatever the size or depth of the value", () => {
    expect(previewJson("x".repeat(50_000_000))).toBe(`"${"x".repeat(58)}…`);
    expect(previewJson(nested(100_000))).toBe(`${"[".repeat(59)}…`);
    const circular: Record<string, unknown> = { name: "loop" };
    circular.self = circular;
    expect(previewJson(circular, 30)).toBe('{"name":"loop","self":{"name"…');
  });

  it("keeps a __proto__ key as a key", () => {
    expect(previewJson(JSON.parse('{"__proto__": {"x": 1}}'))).toBe('{"__proto__":{"x":1}}');
  });
});
