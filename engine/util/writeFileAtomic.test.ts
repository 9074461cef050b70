import { spawn } from "node:child_process";
import { chmod, chown, lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeNamedPipe, releaseNamedPipe } from "../testing/namedPipes.js";
import { SaveError, writeFileAtomic } from "./writeFileAtomic.js";

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "write-atomic-"));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

const modeOf = async (path: string) => (await stat(path)).mode & 0o7777;

/** The id of a process that has ended: what a save killed half-way leaves in its temporary file's name. */
async function endedPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.on("exit", resolve));
  return child.pid!;
}

describe("writeFileAtomic", () => {
  it("writes a new file with the usual mode and leaves no temporary file", async () => {
    const path = join(folder, "new.json");
    expect(await writeFileAtomic(path, "{}\n")).toBe(path);
    expect(await readFile(path, "utf8")).toBe("{}\n");
    expect(await modeOf(path)).toBe(0o666 & ~process.umask());
    expect(await readdir(folder)).toEqual(["new.json"]);
  });

  it("keeps the permissions of the file it replaces: a 600 file stays 600", async () => {
    for (const mode of [0o600, 0o640, 0o755]) {
      const path = join(folder, `mode-${mode.toString(8)}.json`);
      await writeFile(path, "old");
      await chmod(path, mode);
      await writeFileAtomic(path, "new");
      expect(await readFile(path, "utf8")).toBe("new");
      expect((await modeOf(path)).toString(8)).toBe(mode.toString(8));
    }
  });

  it.runIf(process.getuid?.() === 0)("keeps the owner of the file it replaces, where permitted (root)", async () => {
    const path = join(folder, "theirs.json");
    await writeFile(path, "old");
    await chown(path, 4321, 4321);
    await writeFileAtomic(path, "new");
    expect(await stat(path)).toMatchObject({ uid: 4321, gid: 4321 });
  });

  it("refuses a read-only file with a message, and leaves it as it was", async () => {
    const path = join(folder, "locked.json");
    await writeFile(path, "keep me");
    await chmod(path, 0o444);
    const error = await writeFileAtomic(path, "new").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SaveError);
    expect((error as Error).message).toBe(`${path} is read-only; it was not replaced (make it writable, or save under another name)`);
    expect(await readFile(path, "utf8")).toBe("keep me");
    expect(await modeOf(path)).toBe(0o444);
    expect(await readdir(folder)).toEqual(["locked.json"]);
  });

  it("writes through a symlink (a chain of them, or one whose target is not there yet): the link stays a link", async () => {
    await mkdir(join(folder, "real"));
    const target = join(folder, "real", "p.json");
    await writeFile(target, "old");
    await chmod(target, 0o600);
    await symlink("real/p.json", join(folder, "first.json"));
    await symlink(join(folder, "first.json"), join(folder, "link.json"));
    expect(await writeFileAtomic(join(folder, "link.json"), "new")).toBe(join(folder, "link.json"));
    expect((await lstat(join(folder, "link.json"))).isSymbolicLink()).toBe(true);
    expect((await lstat(join(folder, "first.json"))).isSymbolicLink()).toBe(true);
    expect(await readFile(target, "utf8")).toBe("new");
    expect(await modeOf(target)).toBe(0o600);

    await symlink("real/later.json", join(folder, "dangling.json"));
    await writeFileAtomic(join(folder, "dangling.json"), "created");
    expect(await readlink(join(folder, "dangling.json"))).toBe("real/later.json");
    expect(await readFile(join(folder, "real", "later.json"), "utf8")).toBe("created");
    expect((await readdir(join(folder, "real"))).sort()).toEqual(["later.json", "p.json"]);
  });

  it("refuses to replace a folder, a named pipe or a device, also behind a symlink (/dev/stdout), naming the path given", async () => {
    await symlink("/dev/null", join(folder, "null-link"));
    await expect(writeFileAtomic(join(folder, "null-link"), "x")).rejects.toThrow(
      `cannot save ${join(folder, "null-link")}: it is not a regular file; choose a file name`,
    );
    expect(await readlink(join(folder, "null-link"))).toBe("/dev/null");
    await mkdir(join(folder, "sub"));
    await expect(writeFileAtomic(join(folder, "sub"), "x")).rejects.toThrow(
      `cannot save ${join(folder, "sub")}: it is a folder; choose a file name`,
    );
    const pipe = makeNamedPipe(join(folder, "pipe.json"));
    try {
      await expect(writeFileAtomic(pipe, "x")).rejects.toThrow(`cannot save ${pipe}: it is not a regular file; choose a file name`);
      expect((await lstat(pipe)).isFIFO()).toBe(true);
    } finally {
      releaseNamedPipe(pipe);
    }
  });

  it("removes the temporary files of saves killed half-way (their process is gone), and no one else's", async () => {
    const dead = await endedPid();
    const stale = [`.p.json.pipeline-studio-${dead}-0badc0de.tmp`, `.other.json.pipeline-studio-${dead}-12345678.tmp`];
    const kept = [`.p.json.pipeline-studio-${process.pid}-0badc0de.tmp`, ".p.json.0badc0de.tmp", "notes.txt"];
    for (const name of [...stale, ...kept]) await writeFile(join(folder, name), "half");
    await writeFileAtomic(join(folder, "p.json"), "whole");
    expect((await readdir(folder)).sort()).toEqual([...kept, "p.json"].sort());
  });

  it("says why a save failed, naming the file", async () => {
    const path = join(folder, "missing", "p.json");
    await expect(writeFileAtomic(path, "x")).rejects.toThrow(`cannot save ${path}: its folder does not exist`);
  });
});
