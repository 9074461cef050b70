import type { RedisOptions } from "ioredis";
import { ConfigError } from "../errors.js";

/**
 * A Redis URL as ioredis options: `redis://[[user]:password@]host[:port][/db]`, `rediss://` for
 * TLS, or `unix:///path/to/redis.sock` (a local socket, as a private `--local-workers` Redis uses).
 */
export function redisOptionsFromUrl(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`Redis URL must look like redis://host:6379 or unix:///path/redis.sock, got "${url}"`);
  }
  const auth = {
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
  };
  if (parsed.protocol === "unix:") {
    if (!parsed.pathname) throw new ConfigError(`Redis URL ${url} names no socket path`);
    return { path: decodeURIComponent(parsed.pathname), ...auth };
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new ConfigError(`Redis URL must start with redis://, rediss:// or unix://, got "${redactRedisUrl(url)}"`);
  }
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0)
    throw new ConfigError(`Redis URL ${redactRedisUrl(url)}: the database must be a number, got "${parsed.pathname.slice(1)}"`);
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1",
    port: parsed.port ? Number(parsed.port) : 6379,
    db,
    ...(parsed.protocol === "rediss:" ? { tls: {} } : {}),
    ...auth,
  };
}

/** The URL as it may be printed: the password replaced by ***. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.href;
  } catch {
    return url.replace(/:[^:@/]*@/, ":***@");
  }
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/**
 * One connection that does not retry, then a PING: null when Redis answers, otherwise why not
 * (refused, unreachable, a password wanted), so a caller can say so at once with the URL.
 */
export async function probeRedis(connection: RedisOptions, connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS): Promise<string | null> {
  // Loaded on first use: importing ioredis costs every pipeline's start-up, remote or not.
  const { Redis } = await import("ioredis");
  const probe = new Redis({
    ...connection,
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: connectTimeoutMs,
  });
  let lastError: Error | undefined;
  probe.on("error", (error: Error) => (lastError = error));
  try {
    await probe.connect();
    await probe.ping();
    return null;
  } catch (error) {
    // The connection's own error says why (ECONNREFUSED, ENOENT); the rejection often only "Connection is closed."
    return (lastError?.message || (error as Error).message || "no answer").replace(/\.$/, "");
  } finally {
    probe.disconnect();
  }
}
