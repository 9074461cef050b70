/** Why a file could not be read, in words a user can act on. */
export function readFailureReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder, not a file" : (error as Error).message;
}
