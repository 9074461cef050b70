import { constants, type Stats } from "node:fs";
import { open, stat, type FileHandle } from "node:fs/promises";
import { resolve } from "node:path";
import { MAX_DOCUMENT_BYTES } from "../bounds.js";
import { formatBytes } from "../format.js";

export { MAX_DOCUMENT_BYTES, formatBytes };

/**
 * Reads a file a user named, and only a regular one. A named pipe blocks the thread that opens
 * it until a writer comes, and a device such as /dev/zero never ends: either would hold one of
 * libuv's four file-system threads for good, and four of them stall every file read in the
 * process (the app's page, Save, shutdown). So: stat first and refuse anything but a regular
 * file; open with O_NONBLOCK and check the opened file again, in case a pipe was swapped in
 * between; never read more than a bound, however much the file grows meanwhile.
 */

const REST_CHUNK_BYTES = 64 * 1024;

export interface ReadRegularFileOptions {
  /** Refuse a file larger than this (default MAX_DOCUMENT_BYTES). */
  maxBytes?: number;
  signal?: AbortSignal;
}

/** A file that could not be read; the message names the path and says why in plain words. */
export class FileReadError extends Error {
  override name = "FileReadError";
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly code?: string,
  ) {
    super(`cannot read ${path}: ${reason}`);
  }
}

export async function readRegularTextFile(path: string, options: ReadRegularFileOptions = {}): Promise<string> {
  return (await readRegularFile(path, options)).toString("utf8");
}

export async function readRegularFile(path: string, options: ReadRegularFileOptions = {}): Promise<Buffer> {
  const absolute = resolve(path);
  const maxBytes = options.maxBytes ?? MAX_DOCUMENT_BYTES;
  const fail = (error: unknown): never => {
    if (error instanceof FileReadError || options.signal?.aborted) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileReadError(absolute, systemReason(error), code);
  };
  requireReadable(absolute, await stat(absolute).catch(fail), maxBytes);
  let handle: FileHandle | undefined;
  try {
    handle = await open(absolute, constants.O_RDONLY | constants.O_NONBLOCK);
    requireReadable(absolute, await handle.stat(), maxBytes);
    return await readAtMost(handle, absolute, maxBytes, options.signal);
  } catch (error) {
    return fail(error);
  } finally {
    await handle?.close();
  }
}

function requireReadable(path: string, info: Stats, maxBytes: number): void {
  if (info.isDirectory()) throw new FileReadError(path, "is a folder, not a file", "EISDIR");
  if (!info.isFile()) throw new FileReadError(path, `not a regular file (${kindOf(info)})`, "ENOTREG");
  if (info.size > maxBytes) throw tooLarge(path, info.size, maxBytes);
}

/**
 * Reads to the end, or fails once more than maxBytes arrived. The size stat gave is read into one
 * buffer of exactly that size (a caller may keep it without a copy); anything past it (a file
 * growing as it is read, a /proc file that says 0) in chunks after.
 */
async function readAtMost(handle: FileHandle, path: string, maxBytes: number, signal: AbortSignal | undefined): Promise<Buffer> {
  const { size } = await handle.stat();
  const head = Buffer.allocUnsafe(Math.min(size, maxBytes));
  let length = 0;
  while (length < head.length) {
    signal?.throwIfAborted();
    const { bytesRead } = await handle.read(head, length, head.length - length, null);
    if (bytesRead === 0) return head.subarray(0, length);
    length += bytesRead;
  }
  const rest: Buffer[] = [];
  for (;;) {
    signal?.throwIfAborted();
    const chunk = Buffer.allocUnsafe(REST_CHUNK_BYTES);
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) return rest.length === 0 ? head : Buffer.concat([head, ...rest]);
    length += bytesRead;
    if (length > maxBytes) throw tooLarge(path, null, maxBytes);
    rest.push(chunk.subarray(0, bytesRead));
  }
}

/** size null: it grew past the limit while being read. Also for a file uploaded from a browser (no path: its name). */
export function tooLarge(path: string, size: number | null, maxBytes: number): FileReadError {
  const limit = `the ${formatBytes(maxBytes)} limit`;
  return new FileReadError(
    path,
    size === null ? `it grew past ${limit} while being read` : `it is ${formatBytes(size)}, over ${limit}`,
    "EFBIG",
  );
}

function kindOf(info: Stats): string {
  if (info.isFIFO()) return "a named pipe";
  if (info.isCharacterDevice()) return "a character device";
  if (info.isBlockDevice()) return "a block device";
  if (info.isSocket()) return "a socket";
  return "not a file";
}

function systemReason(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case "ENOENT":
      return "no such file";
    case "EISDIR":
      return "is a folder, not a file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOTDIR":
      return "a folder on its path is a file";
    default:
      return (error as Error).message;
  }
}
