import { pipelineFileSchema, type PipelineFile } from "../engine/spec/schema.js";

/** Each pass removes what the schema refused; a file this broken after so many passes is not drawn. */
const PASSES = 20;
const REMOVED = Symbol("removed");

/**
 * A pipeline file the schema refused, made drawable so the user can fix it in the editor: each
 * field the schema refuses is taken out (its default then applies), and a node or edge that
 * cannot be drawn at all (no valid id, kind or ends) is left out, and so is a note or group with
 * anything wrong (a group's member that is not a node only leaves the group). The problems are reported
 * separately, from the file as it was. Undefined when nothing drawable is left.
 */
export function drawableSpec(value: Record<string, unknown>): PipelineFile | undefined {
  let candidate: Record<string, unknown> = structuredClone(value);
  for (let pass = 0; pass < PASSES; pass++) {
    const parsed = pipelineFileSchema.safeParse(candidate);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
      remove(candidate, issue.path, keys);
    }
    candidate = withoutRemoved(candidate);
  }
  return undefined;
}

/** Takes out what an issue at `path` names: a whole node or edge when its identity is wrong, else the field. */
function remove(root: Record<string, unknown>, path: readonly PropertyKey[], unknownKeys: readonly string[]): void {
  const [top, index, field] = path;
  if (path.length === 0) {
    for (const key of unknownKeys) delete root[key];
    return;
  }
  const list = root[top as string];
  if ((top === "nodes" || top === "edges") && Array.isArray(list) && typeof index === "number") {
    const item = list[index] as Record<string, unknown> | null;
    const identity = top === "nodes" ? ["id", "kind"] : ["from", "to"];
    if (typeof item !== "object" || item === null || field === undefined || identity.includes(String(field))) {
      if (unknownKeys.length > 0 && field === undefined && item && typeof item === "object") {
        for (const key of unknownKeys) delete item[key];
      } else list[index] = REMOVED;
      return;
    }
    delete item[field as string];
    return;
  }
  if ((top === "notes" || top === "groups") && Array.isArray(list) && typeof index === "number") {
    removeAnnotation(list, index, path[3], field, unknownKeys);
    return;
  }
  if (path.length === 1 || typeof root[top as string] !== "object") delete root[top as string];
  else if (unknownKeys.length > 0) for (const key of unknownKeys) delete (root[top as string] as Record<string, unknown>)[key];
  else delete (root[top as string] as Record<string, unknown>)[path[1] as string];
}

/** A note or group with a problem goes whole (it is only a comment on the graph); its unknown fields or a bad member go alone. */
function removeAnnotation(
  list: unknown[],
  index: number,
  member: PropertyKey | undefined,
  field: PropertyKey | undefined,
  unknownKeys: readonly string[],
): void {
  const item = list[index];
  if (typeof item === "object" && item !== null) {
    const entry = item as Record<string, unknown>;
    if (field === "nodeIds" && typeof member === "number" && Array.isArray(entry.nodeIds)) return void (entry.nodeIds[member] = REMOVED);
    if (field === undefined && unknownKeys.length > 0) {
      for (const key of unknownKeys) delete entry[key];
      return;
    }
  }
  list[index] = REMOVED;
}

function withoutRemoved(root: Record<string, unknown>): Record<string, unknown> {
  const kept = (list: unknown[]) => list.filter((item) => item !== REMOVED);
  for (const key of ["nodes", "edges", "notes", "groups"]) {
    if (Array.isArray(root[key])) root[key] = kept(root[key] as unknown[]);
    else root[key] = [];
  }
  for (const group of root.groups as unknown[]) {
    const entry = group as { nodeIds?: unknown } | null;
    if (typeof entry === "object" && entry !== null && Array.isArray(entry.nodeIds)) entry.nodeIds = kept(entry.nodeIds);
  }
  return root;
}
