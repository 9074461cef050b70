import { runInThisContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { AWKWARD_NUMBERS, HOSTILE_TEXTS, textItems } from "./testing/hostileInputs.js";
import { tsComment, tsString, tsValue } from "./typescriptSyntax.js";

/** What JavaScript ends a line comment at. */
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

describe("TypeScript syntax", () => {
  it("writes strings JSON-style, escaping line terminators and invisible characters too", () => {
    expect(tsString('a "b"\n\u2028c\\\u0000é😀\ud800\u202e')).toBe('"a \\"b\\"\\n\\u2028c\\\\\\u0000é😀\\ud800\\u202e"');
    expect(tsValue({ ms: 1, "odd key": [true, null, "x"], nested: {} })).toBe('{ ms: 1, "odd key": [true, null, "x"], nested: {} }');
  });

  it("reads every hostile text back from its string literal exactly", () => {
    for (const [label, text] of HOSTILE_TEXTS) {
      const literal = tsString(text);
      expect(LINE_TERMINATOR.test(literal), label).toBe(false);
      expect(runInThisContext(literal) === text, label).toBe(true);
    }
  });

  it("writes __proto__ as a computed key, so it stays an own key and never sets the prototype", () => {
    const value = Object.fromEntries([["__proto__", { polluted: true }]]);
    expect(tsValue(value)).toBe('{ ["__proto__"]: { polluted: true } }');
    const evaluated = runInThisContext(`(${tsValue(value)})`) as Record<string, unknown>;
    expect(Object.getPrototypeOf(evaluated)).toBe(Object.prototype);
    expect(Object.keys(evaluated)).toEqual(["__proto__"]);
  });

  it("reads values back exactly: hostile keys as own data, -0, NaN and infinities", () => {
    for (const [label, text] of HOSTILE_TEXTS) {
      const items = textItems(text);
      const evaluated = runInThisContext(`(${tsValue(items)})`) as unknown[];
      // JSON shows an own "__proto__" key; a prototype set by mistake would be missing from it.
      expect(JSON.stringify(evaluated) === JSON.stringify(items), label).toBe(true);
      expect(evaluated, label).toEqual(items);
    }
    const numbers = runInThisContext(tsValue(AWKWARD_NUMBERS)) as unknown[];
    expect(numbers).toEqual(AWKWARD_NUMBERS);
    expect(Object.is(numbers[1], -0)).toBe(true);
  });

  it("keeps every hostile text inside its line comment, and none closes a block comment", () => {
    for (const [label, text] of HOSTILE_TEXTS) {
      const comment = tsComment(text);
      expect(LINE_TERMINATOR.test(comment), label).toBe(false);
      expect(comment.includes("*/"), label).toBe(false);
      expect(runInThisContext(`${comment}\n"after"`), label).toBe("after");
      expect(runInThisContext(`/* ${comment} */ "after"`), label).toBe("after");
    }
    expect(tsComment("a\nb\rc\u2028d\u0085e */")).toBe("// a\\nb\\rc\\u2028d\\u0085e *\\/");
  });
});
