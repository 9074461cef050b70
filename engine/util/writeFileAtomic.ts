import { randomBytes } from "node:crypto";
import { constants, type Stats } from "node:fs";
import { access, open, readdir, readlink, rename, rm, stat, type FileHandle } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

/**
 * Saves a file the way an editor should: the text goes to a temporary file beside the target,
 * which is then renamed over it, so an interrupted save never leaves half a file. The rename
 * makes a new file, so what made the old one what it was is carried over by hand: its mode and
 * (where permitted) its owner; a symlink is followed, so the link stays a link and its target
 * changes; a read-only file is refused rather than silently replaced, as rename would allow.
 * Temporary files carry the saving process's id, so a save killed half-way leaves one that the
 * next save in that folder recognises (its process is gone) and removes.
 */

/** A save that was refused or failed; the message names the file and says why. */
export class SaveError extends Error {
  override name = "SaveError";
}

const TEMPORARY_TAG = "pipeline-studio";
const TEMPORARY_NAME = new RegExp(`^\\..+\\.${TEMPORARY_TAG}-(\\d+)-[0-9a-f]{8}\\.tmp$`);
const MAX_SYMLINK_HOPS = 40;

/** Writes text to path atomically; returns the absolute path (the link's, when path is a link). */
export async function writeFileAtomic(path: string, text: string): Promise<string> {
  const absolute = resolve(path);
  // stat follows links: what a link names is judged, and named, by the path the user gave.
  const existing = await stat(absolute).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw saveError(absolute, error);
  });
  if (existing) await requireReplaceable(absolute, existing);
  const target = await followLinks(absolute);
  const folder = dirname(target);
  await removeStaleTemporaries(folder);
  const temporary = join(folder, `.${basename(target)}.${TEMPORARY_TAG}-${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
  try {
    const handle = await open(temporary, "wx", existing ? existing.mode & 0o7777 : 0o666);
    try {
      await handle.writeFile(text, "utf8");
      if (existing) {
        // The mode given to open() passes through the umask; the old file's mode must not.
        await handle.chmod(existing.mode & 0o7777);
        await keepOwner(handle, existing);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error instanceof SaveError ? error : saveError(absolute, error);
  }
  return absolute;
}

/** The file a path finally names: through every symlink, also one whose target does not exist yet. */
async function followLinks(path: string): Promise<string> {
  let current = path;
  for (let hop = 0; hop < MAX_SYMLINK_HOPS; hop++) {
    let link: string;
    try {
      link = await readlink(current);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // EINVAL: not a link; ENOENT: nothing there yet, a new file.
      if (code === "EINVAL" || code === "ENOENT") return current;
      throw saveError(current, error);
    }
    current = resolve(dirname(current), link);
  }
  throw new SaveError(`cannot save ${path}: too many symbolic links`);
}

async function requireReplaceable(path: string, existing: Stats): Promise<void> {
  if (!existing.isFile()) {
    throw new SaveError(`cannot save ${path}: it is ${existing.isDirectory() ? "a folder" : "not a regular file"}; choose a file name`);
  }
  // Mode bits as well as access(): root may write anything, but a file made read-only stays so.
  const writable =
    (existing.mode & 0o222) !== 0 &&
    (await access(path, constants.W_OK).then(
      () => true,
      () => false,
    ));
  if (!writable) throw new SaveError(`${path} is read-only; it was not replaced (make it writable, or save under another name)`);
}

async function keepOwner(handle: FileHandle, existing: Stats): Promise<void> {
  const created = await handle.stat();
  if (created.uid === existing.uid && created.gid === existing.gid) return;
  try {
    await handle.chown(existing.uid, existing.gid);
  } catch {
    // Only root may give a file away (or to a group it is not in): then the saver owns it.
  }
}

/** Temporary files of saves whose process is gone (killed mid-save); best effort. */
async function removeStaleTemporaries(folder: string): Promise<void> {
  const names = await readdir(folder).catch(() => [] as string[]);
  await Promise.all(
    names.map(async (name) => {
      const pid = TEMPORARY_NAME.exec(name)?.[1];
      if (pid !== undefined && !isRunning(Number(pid))) await rm(join(folder, name), { force: true }).catch(() => undefined);
    }),
  );
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const REASONS: Record<string, string> = {
  ENOENT: "its folder does not exist",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  ENOTDIR: "a folder on its path is a file",
};

function saveError(path: string, error: unknown): SaveError {
  const reason = REASONS[(error as NodeJS.ErrnoException).code ?? ""] ?? (error as Error).message;
  return new SaveError(`cannot save ${path}: ${reason}`);
}
