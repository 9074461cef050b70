import { mkdir, mkdtemp, rm, symlink, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeNamedPipe, releaseNamedPipe } from "../testing/namedPipes.js";
import { FileReadError, MAX_DOCUMENT_BYTES, readRegularFile, readRegularTextFile } from "./readRegularFile.js";

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "read-regular-"));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function failure(path: string, maxBytes?: number): Promise<FileReadError> {
  const error = await readRegularFile(path, { maxBytes }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FileReadError);
  return error as FileReadError;
}

describe("readRegularFile", () => {
  it("reads a regular file, also through a symlink", async () => {
    await writeFile(join(folder, "a.json"), "[1, 2]\n");
    await symlink(join(folder, "a.json"), join(folder, "link.json"));
    expect(await readRegularTextFile(join(folder, "a.json"))).toBe("[1, 2]\n");
    expect(await readRegularTextFile(join(folder, "link.json"))).toBe("[1, 2]\n");
  });

  it("refuses a named pipe at once, naming it, instead of waiting for a writer", async () => {
    const fifo = makeNamedPipe(join(folder, "pipe.pipeline.json"));
    try {
      expect((await failure(fifo)).message).toBe(`cannot read ${fifo}: not a regular file (a named pipe)`);
    } finally {
      releaseNamedPipe(fifo);
    }
  });

  it("refuses a device that never ends, and a folder", async () => {
    expect((await failure("/dev/zero")).message).toBe("cannot read /dev/zero: not a regular file (a character device)");
    await mkdir(join(folder, "sub"));
    expect((await failure(join(folder, "sub"))).message).toBe(`cannot read ${join(folder, "sub")}: is a folder, not a file`);
  });

  it("refuses a file over the bound before reading it, saying the bound (16 MiB unless told)", async () => {
    const big = join(folder, "big.pipeline.json");
    await writeFile(big, "");
    await truncate(big, MAX_DOCUMENT_BYTES + 1024 * 1024);
    expect((await failure(big)).message).toBe(`cannot read ${big}: it is 17 MiB, over the 16 MiB limit`);
    await writeFile(join(folder, "small.txt"), "x".repeat(2048));
    expect((await failure(join(folder, "small.txt"), 1024)).reason).toBe("it is 2.0 KiB, over the 1.0 KiB limit");
  });

  it("stops at the bound when a file holds more than its size says (a /proc file says 0)", async () => {
    const status = await readRegularTextFile("/proc/self/status");
    expect(status).toMatch(/^Name:/);
    expect((await failure("/proc/self/status", 16)).reason).toBe("it grew past the 16 bytes limit while being read");
  });

  it("says plainly why a file cannot be read", async () => {
    const missing = join(folder, "none.json");
    expect((await failure(missing)).message).toBe(`cannot read ${missing}: no such file`);
  });
});
