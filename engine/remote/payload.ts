/**
 * Items and results on their way through Redis. They keep the local pool's semantics
 * (structured clone: v8.serialize, so a Uint8Array comes back a Uint8Array, a Map a Map); small
 * ones travel base64 inside the job, large ones in a key of their own with a TTL, so neither the
 * job hash nor the events stream (which keeps every return value) holds megabytes.
 */
import { deserialize, serialize } from "node:v8";
import type { Redis } from "ioredis";
import { BLOB_TTL_MS, INLINE_PAYLOAD_MAX_BYTES } from "./protocol.js";

export type Payload = { inline: string } | { blob: string; bytes: number };

export async function encodePayload(value: unknown, redis: Redis, blobKey: string): Promise<Payload> {
  const bytes = serialize(value);
  if (bytes.length <= INLINE_PAYLOAD_MAX_BYTES) return { inline: bytes.toString("base64") };
  await redis.set(blobKey, bytes, "PX", BLOB_TTL_MS);
  return { blob: blobKey, bytes: bytes.length };
}

export async function decodePayload(payload: Payload, redis: Redis): Promise<unknown> {
  if ("inline" in payload) return deserialize(Buffer.from(payload.inline, "base64"));
  const bytes = await redis.getBuffer(payload.blob);
  if (bytes === null) throw new Error(`the payload in ${payload.blob} (${payload.bytes} bytes) expired or was lost from Redis`);
  return deserialize(bytes);
}

/** A blob the other side no longer needs; an inline payload has nothing to free. */
export function freePayload(payload: Payload | undefined, redis: Redis): void {
  if (payload && "blob" in payload) void redis.del(payload.blob).catch(() => undefined);
}
