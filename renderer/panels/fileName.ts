/** The last part of a path, or "Untitled" for a pipeline not saved yet. */
export function fileName(path: string | null): string {
  if (!path) return "Untitled";
  return path.split(/[\\/]/).pop() ?? path;
}
