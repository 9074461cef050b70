import { describe, expect, it } from "vitest";
import { describeValue, ownedBytes, readBytesInput, shapeResult } from "./bytes.js";

describe("the bytes convention", () => {
  it("reads bytes, ArrayBuffers, other views and UTF-8 strings as a Uint8Array", () => {
    expect([...readBytesInput("é", "op").bytes]).toEqual([0xc3, 0xa9]);
    expect([...readBytesInput(new Uint8Array([1, 2]).buffer, "op").bytes]).toEqual([1, 2]);
    expect([...readBytesInput(new Uint16Array([0x0201]).subarray(0, 1), "op").bytes]).toEqual([1, 2]);
    const input = readBytesInput(Buffer.from([9]), "op");
    expect(input).toEqual({ bytes: Buffer.from([9]), rest: null });
    expect(shapeResult(input, "sha256", "digest")).toBe("digest");
  });

  it("takes a record's bytes and gives the result back in place of them", () => {
    const input = readBytesInput({ path: "/a", bytes: "x", size: 1 }, "op");
    expect(input.rest).toEqual({ path: "/a", size: 1 });
    expect(shapeResult(input, "sha256", "digest")).toEqual({ path: "/a", size: 1, sha256: "digest" });
  });

  it("names the op and what it got when the item holds no bytes", () => {
    expect(() => readBytesInput(null, "gzip")).toThrow(
      "gzip: expected bytes (Uint8Array), a string, or a record with a bytes field; got null",
    );
    expect(() => readBytesInput({ path: "/a" }, "gzip")).toThrow("got an object with fields path");
    expect(() => readBytesInput({ bytes: [1, 2] }, "sha256")).toThrow(
      "sha256: the item's bytes field must be a Uint8Array or a string, got an array",
    );
  });

  it("turns Buffers into plain Uint8Arrays that own their memory, copying only slab slices", () => {
    const large = Buffer.alloc(10_000, 1);
    const ownedLarge = ownedBytes(large);
    expect(Object.getPrototypeOf(ownedLarge)).toBe(Uint8Array.prototype);
    expect(ownedLarge.buffer).toBe(large.buffer);

    const small = Buffer.from("tiny");
    expect(small.buffer.byteLength).toBeGreaterThan(small.byteLength); // a slice of Node's shared slab
    const ownedSmall = ownedBytes(small);
    expect(ownedSmall.buffer).not.toBe(small.buffer);
    expect(ownedSmall.buffer.byteLength).toBe(4);
    expect([...ownedSmall]).toEqual([...small]);

    const plain = new Uint8Array(3);
    expect(ownedBytes(plain)).toBe(plain);
  });

  it("describes values briefly for error messages", () => {
    expect(describeValue(new Uint8Array(5))).toBe("5 bytes");
    expect(describeValue("x".repeat(100))).toMatch(/^string "x{38}…$/);
    expect(describeValue(undefined)).toBe("undefined");
  });
});
