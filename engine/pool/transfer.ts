/**
 * Which ArrayBuffers may move (transfer, not copy) with an item. Only buffers the item wholly
 * owns qualify: a small Node Buffer is a view on a shared 8 KB slab, and moving the slab would
 * detach unrelated Buffers. Looks at the item itself and one level into arrays and plain objects.
 */
export function ownedArrayBuffers(value: unknown, found: ArrayBuffer[] = []): ArrayBuffer[] {
  collect(value, found, 1);
  return found;
}

function collect(value: unknown, found: ArrayBuffer[], depth: number): void {
  if (value === null || typeof value !== "object") return;
  if (value instanceof ArrayBuffer) {
    if (value.byteLength > 0 && !found.includes(value)) found.push(value);
    return;
  }
  if (ArrayBuffer.isView(value)) {
    const buffer = value.buffer;
    if (buffer instanceof ArrayBuffer && value.byteOffset === 0 && value.byteLength === buffer.byteLength) {
      collect(buffer, found, 0);
    }
    return;
  }
  if (depth === 0) return;
  if (Array.isArray(value)) {
    for (const element of value) collect(element, found, depth - 1);
    return;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    for (const key of Object.keys(value)) collect((value as Record<string, unknown>)[key], found, depth - 1);
  }
}
