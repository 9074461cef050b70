import { z } from "zod";
import { integerAtLeast } from "../spec/fields.js";
import type { SourceOpDefinition } from "./catalog.js";

export const range: SourceOpDefinition<{ count: number; start: number }> = {
  name: "range",
  synonyms: ["numbers", "count", "integers", "counter", "generate"],
  kind: "source",
  category: "sources",
  execution: "loop",
  description: "Yields the integers start, start+1, … (count of them)",
  params: z.strictObject({
    count: integerAtLeast(0).default(100),
    start: z.int({ error: "must be an integer" }).default(0),
  }),
  // Iterable again and again (a repeating source starts each pass over), as Python's range().
  createSource({ count, start }) {
    return {
      *[Symbol.iterator]() {
        for (let i = 0; i < count; i++) yield start + i;
      },
    };
  },
};

export const list: SourceOpDefinition<{ items: unknown[] }> = {
  name: "list",
  synonyms: ["items", "array", "values", "literal"],
  kind: "source",
  category: "sources",
  execution: "loop",
  description: "Yields each of the given items (any JSON values)",
  params: z.strictObject({
    items: z.array(z.unknown(), { error: "must be an array of items" }).default([]),
  }),
  createSource({ items }) {
    return items;
  },
};
