import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MirroredRing } from "./ringBuffer.js";

describe("MirroredRing", () => {
  it("keeps values in order until full, then drops the oldest", () => {
    const ring = new MirroredRing(3);
    expect([...ring.window()]).toEqual([]);
    expect(ring.latest()).toBeUndefined();
    ring.push(1);
    ring.push(2);
    expect([...ring.window()]).toEqual([1, 2]);
    ring.push(3);
    ring.push(4);
    expect([...ring.window()]).toEqual([2, 3, 4]);
    expect(ring.length).toBe(3);
    expect(ring.latest()).toBe(4);
    expect([...ring.window(2)]).toEqual([3, 4]);
    expect([...ring.window(10)]).toEqual([2, 3, 4]);
  });

  it("returns views of one preallocated buffer: memory does not grow with pushes", () => {
    const ring = new MirroredRing(100);
    const buffer = ring.window().buffer;
    for (let i = 0; i < 100_000; i++) ring.push(i);
    const window = ring.window();
    expect(window.buffer).toBe(buffer);
    expect(buffer.byteLength).toBe(100 * 2 * 8);
    expect(window.length).toBe(100);
    expect(window[0]).toBe(99_900);
    expect(window[99]).toBe(99_999);
  });

  it("clear empties it for reuse", () => {
    const ring = new MirroredRing(2);
    ring.push(1);
    ring.push(2);
    ring.push(3);
    ring.clear();
    expect(ring.length).toBe(0);
    ring.push(7);
    expect([...ring.window()]).toEqual([7]);
  });

  it("rejects a capacity that is not a positive integer", () => {
    expect(() => new MirroredRing(0)).toThrow(RangeError);
    expect(() => new MirroredRing(1.5)).toThrow(RangeError);
  });

  it("always matches the last `capacity` values pushed, and any last n of them", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.double({ noNaN: true }), { maxLength: 80 }),
        fc.nat(25),
        (capacity, values, n) => {
          const ring = new MirroredRing(capacity);
          for (const value of values) ring.push(value);
          const expected = values.slice(-capacity);
          expect([...ring.window()]).toEqual(expected);
          expect([...ring.window(n)]).toEqual(n === 0 ? [] : expected.slice(-n));
          expect(ring.latest()).toBe(expected.at(-1));
        },
      ),
    );
  });
});
