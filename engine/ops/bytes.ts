/**
 * The bytes convention shared by readFile, gzip, gunzip, sha256 and jsonParse, on the event loop
 * and in worker threads alike (this module is loaded by both, so it imports nothing).
 *
 * - Bytes are a plain Uint8Array. Node Buffers are Uint8Arrays too, but arrive in a worker as
 *   plain ones after structured clone; producing plain ones everywhere keeps a stage's output the
 *   same whichever executor ran it.
 * - A byte-taking op accepts bytes (any Uint8Array, or an ArrayBuffer), a string (as UTF-8), or a
 *   record with a `bytes` field holding either, such as readFile's `{ path, bytes }`.
 * - For a record, the op returns the record with `bytes` replaced by its result (`bytes` again
 *   for gzip/gunzip, `sha256` or `value` for the others), so fields such as `path` flow on.
 */

export type BytesLike = Uint8Array | ArrayBuffer | string;

/** A plain object carrying bytes alongside other fields (readFile's `{ path, bytes }`). */
export type BytesRecord = Record<string, unknown> & { bytes: BytesLike };

export interface BytesInput {
  bytes: Uint8Array;
  /** The item's other fields when it was a record; null for raw bytes or a string. */
  rest: Record<string, unknown> | null;
}

const encoder = new TextEncoder();

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Splits an item into its bytes and, for a record, its other fields; throws a plain TypeError otherwise. */
export function readBytesInput(item: unknown, opName: string): BytesInput {
  if (isPlainObject(item) && "bytes" in item) {
    const { bytes, ...rest } = item;
    const converted = asBytes(bytes);
    if (converted === null)
      throw new TypeError(`${opName}: the item's bytes field must be a Uint8Array or a string, got ${describeValue(bytes)}`);
    return { bytes: converted, rest };
  }
  const converted = asBytes(item);
  if (converted === null) {
    throw new TypeError(`${opName}: expected bytes (Uint8Array), a string, or a record with a bytes field; got ${describeValue(item)}`);
  }
  return { bytes: converted, rest: null };
}

/** The op's result for this input: the value itself for raw input, or the record with `bytes` replaced by `field`. */
export function shapeResult(input: BytesInput, field: string, value: unknown): unknown {
  return input.rest === null ? value : { ...input.rest, [field]: value };
}

function asBytes(value: unknown): Uint8Array | null {
  if (typeof value === "string") return encoder.encode(value);
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return null;
}

/**
 * A plain Uint8Array that owns its whole ArrayBuffer, so the pool can move it to a worker instead
 * of copying. A small Node Buffer is a view on a shared 8 KB slab: it is copied (it is small).
 */
export function ownedBytes(bytes: Uint8Array): Uint8Array {
  const buffer = bytes.buffer;
  if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) {
    return Object.getPrototypeOf(bytes) === Uint8Array.prototype ? bytes : new Uint8Array(buffer);
  }
  return new Uint8Array(bytes);
}

/** A short, single-line description of a value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (value instanceof Uint8Array) return `${value.byteLength} bytes`;
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return `an object with fields ${Object.keys(value).slice(0, 5).join(", ") || "none"}`;
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 39)}…` : text}`;
}
