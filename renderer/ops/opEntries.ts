import type { NodeKind, OpDescription } from "../api/types.js";
import type { PaletteDrag } from "../canvas/paletteDrag.js";

/** One thing a user can add to the canvas: a catalog op or a structural node (aggregate, sink, …). */
export interface OpEntry {
  key: string;
  label: string;
  description: string;
  /** Other words it is found by ("hash" finds sha256). */
  synonyms: readonly string[];
  execution: string | null;
  group: OpGroup;
  drag: PaletteDrag;
}

export const OP_GROUPS = ["sources", "simulated", "real", "routing", "user code", "batching and sink"] as const;
export type OpGroup = (typeof OP_GROUPS)[number];

/** The nodes that are no catalog op: described here, the one place the palette and the picker read them from. */
const STRUCTURE: OpEntry[] = [
  {
    key: "aggregate",
    label: "aggregate",
    description: "Groups items into batches of size",
    synonyms: ["batch", "group", "collect", "chunk", "buffer"],
    execution: null,
    group: "batching and sink",
    drag: { kind: "aggregate", op: null, params: { size: 8, dropLast: false } },
  },
  {
    key: "disaggregate",
    label: "disaggregate",
    description: "Splits batches back into items",
    synonyms: ["unbatch", "flatten", "split", "explode", "ungroup"],
    execution: null,
    group: "batching and sink",
    drag: { kind: "disaggregate", op: null, params: {} },
  },
  {
    key: "sink",
    label: "sink",
    description: "The end of the pipeline: a buffer of items ready for the consumer",
    synonyms: ["output", "end", "consumer", "destination", "result"],
    execution: null,
    group: "batching and sink",
    drag: { kind: "sink", op: null, params: {} },
  },
];

function entryFor(op: OpDescription): OpEntry {
  const kind: NodeKind = op.kind === "source" ? "source" : op.router ? "route" : "stage";
  return {
    key: op.name,
    label: op.name,
    description: op.description,
    synonyms: op.synonyms,
    execution: op.execution,
    group: op.category,
    drag: { kind, op: op.name, params: structuredClone(op.defaults) },
  };
}

/** The catalog's ops and the structural nodes, in palette order (group by group). */
export function opEntries(catalog: readonly OpDescription[]): OpEntry[] {
  const all = [...catalog.map(entryFor), ...STRUCTURE];
  return OP_GROUPS.flatMap((group) => all.filter((entry) => entry.group === group));
}

/**
 * How well an entry answers a query (lower is better), or null when it does not: every word of
 * the query must be found in the name, a synonym or the description. Per word, a name that starts
 * with it ranks first, then a name containing it, then a synonym, then the description only; the
 * words' ranks add up.
 */
export function matchRank(entry: OpEntry, query: string): number | null {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return 3;
  const name = entry.label.toLowerCase();
  const synonyms = entry.synonyms.map((word) => word.toLowerCase());
  const description = entry.description.toLowerCase();
  let total = 0;
  for (const word of words) {
    const rank = name.startsWith(word)
      ? 0
      : name.includes(word)
        ? 1
        : synonyms.some((synonym) => synonym.includes(word))
          ? 2
          : description.includes(word)
            ? 3
            : null;
    if (rank === null) return null;
    total += rank;
  }
  return total;
}

/** The entries that answer the query, best first (ties keep palette order). */
export function searchOps(entries: readonly OpEntry[], query: string): OpEntry[] {
  return entries
    .map((entry, order) => ({ entry, order, rank: matchRank(entry, query) }))
    .filter((found): found is { entry: OpEntry; order: number; rank: number } => found.rank !== null)
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .map((found) => found.entry);
}
