/**
 * Which ArrayBuffers may move (transfer, not copy) with an item. Only buffers the item wholly
 * owns qualify: a small Node Buffer is a view on a shared 8 KB slab, and moving the slab would
 * detach unrelated Buffers. Looks at the item itself and one level into arrays and plain objects.
 */
export function ownedArrayBuffers(value: unknown, found: ArrayBuffer[] = []): ArrayBuffer[] {
  collect(value, found, 1);
  return found;
}

/** Adds the item's owned buffers to `found`; true if it has any (ones already in `found` count too: they move all the same). */
export function addOwnedArrayBuffers(value: unknown, found: ArrayBuffer[]): boolean {
  return collect(value, found, 1);
}

function collect(value: unknown, found: ArrayBuffer[], depth: number): boolean {
  if (value === null || typeof value !== "object") return false;
  if (value instanceof ArrayBuffer) {
    if (value.byteLength === 0) return false;
    if (!found.includes(value)) found.push(value);
    return true;
  }
  if (ArrayBuffer.isView(value)) {
    const buffer = value.buffer;
    if (buffer instanceof ArrayBuffer && value.byteOffset === 0 && value.byteLength === buffer.byteLength) {
      return collect(buffer, found, 0);
    }
    return false;
  }
  if (depth === 0) return false;
  let any = false;
  if (Array.isArray(value)) {
    for (const element of value) any = collect(element, found, depth - 1) || any;
    return any;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    for (const key of Object.keys(value)) any = collect((value as Record<string, unknown>)[key], found, depth - 1) || any;
  }
  return any;
}
