import { z } from "zod";
import { positionSchema, positiveNumber } from "./fields.js";

/**
 * Canvas notes and groups: what a reader of the graph is told, never what runs. The engine reads
 * them only to check them; compile and the TypeScript/Python exports leave them out. Positions
 * are absolute canvas coordinates, as the nodes' are, so a group moving its nodes is the editor's
 * job and the file needs no parent links.
 */

const annotationId = z
  .string({ error: "must be a non-empty string" })
  .min(1, { message: "must be a non-empty string" })
  .refine((id) => id.trim() === id, { message: "must not start or end with spaces" });

const frameSize = z.strictObject({ width: positiveNumber(), height: positiveNumber() });

export const noteSchema = z.strictObject({
  id: annotationId,
  text: z.string({ error: "must be a string" }).default(""),
  position: positionSchema,
  size: frameSize,
});

export const groupSchema = z.strictObject({
  id: annotationId,
  label: z.string({ error: "must be a string" }).default(""),
  nodeIds: z.array(z.string({ error: "must be a node id (a string)" }), { error: "must be an array of node ids" }),
  position: positionSchema,
  size: frameSize,
});

export type CanvasNote = z.output<typeof noteSchema>;
export type CanvasGroup = z.output<typeof groupSchema>;

/** One problem found across the file's parts: its path within the file and what is wrong. */
export interface CrossIssue {
  path: (string | number)[];
  input: unknown;
  message: string;
}

const idOf = (value: unknown): unknown => (typeof value === "object" && value !== null ? (value as { id?: unknown }).id : undefined);

/**
 * What each list cannot tell alone: ids unique among the notes and among the groups, and every
 * group naming nodes that exist, each once, and no node in two groups (moving a group moves its
 * nodes, so a node has one). Reads whatever parts are there, so it judges a file refused elsewhere.
 */
export function annotationIssues(file: { nodes?: unknown; notes?: unknown; groups?: unknown }): CrossIssue[] {
  const issues: CrossIssue[] = [];
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
  for (const field of ["notes", "groups"] as const) {
    const first = new Map<string, number>();
    list(file[field]).forEach((entry, index) => {
      const id = idOf(entry);
      if (typeof id !== "string") return;
      const earlier = first.get(id);
      if (earlier === undefined) first.set(id, index);
      else
        issues.push({
          path: [field, index, "id"],
          input: id,
          message: `duplicate id (first used by ${field}[${earlier}]); ids must be unique`,
        });
    });
  }
  const nodeIds = new Set(
    list(file.nodes)
      .map(idOf)
      .filter((id): id is string => typeof id === "string"),
  );
  const groupOf = new Map<string, number>();
  list(file.groups).forEach((group, groupIndex) => {
    const members = typeof group === "object" && group !== null ? (group as { nodeIds?: unknown }).nodeIds : undefined;
    const inThisGroup = new Set<string>();
    list(members).forEach((id, index) => {
      if (typeof id !== "string") return;
      const path = ["groups", groupIndex, "nodeIds", index];
      if (!nodeIds.has(id)) return void issues.push({ path, input: id, message: "no node has this id" });
      if (inThisGroup.has(id)) return void issues.push({ path, input: id, message: "is listed twice in this group" });
      inThisGroup.add(id);
      const other = groupOf.get(id);
      if (other !== undefined)
        issues.push({ path, input: id, message: `is already in groups[${other}]; a node belongs to one group at most` });
      else groupOf.set(id, groupIndex);
    });
  });
  return issues;
}
