import { z } from "zod";
import { SIZE_BOUNDS } from "../bounds.js";
import { previewJson } from "../util/previewJson.js";
import { integerWithin } from "../spec/fields.js";
import type { StageOpDefinition } from "./catalog.js";

/** Paths a modulo router spreads items over when neither values nor modulo is given (so a new node routes at once). */
const DEFAULT_MODULO = 2;

export interface RouteByParams {
  /** The item's field that picks the path ("kind", or a dotted path "meta.kind"); null: the item itself. */
  field: string | null;
  /** By value: the item whose field equals values[i] (or one of values[i], when that is an array) takes path i. */
  values: unknown[] | null;
  /** By value: the path of an item whose value is not listed, or "fail" to fail that item. */
  otherwise: number | "fail";
  /** By hash (without values): the path is the value's hash modulo this, an integer value's own modulo (null: 2). */
  modulo: number | null;
}

/** A routeBy router could not route an item (no such field, a value not listed). */
export class RouteByError extends Error {
  override name = "RouteByError";
}

export const routeBy: StageOpDefinition<RouteByParams> = {
  name: "routeBy",
  synonyms: ["branch", "switch", "split", "if", "condition", "partition"],
  kind: "stage",
  category: "routing",
  execution: "loop",
  router: true,
  description:
    "Routes by a field: its value picks the path (values[i] → path i; otherwise a path or fail), or its hash modulo n (integers: value mod n)",
  params: z
    .strictObject({
      field: z
        .string({ error: "must be a field name, or null for the item itself" })
        .min(1, { error: "must not be empty" })
        .nullable()
        .default(null),
      values: z
        .array(z.unknown(), { error: "must be an array: values[i] (or any of values[i], an array) routes to path i" })
        .nullable()
        .default(null),
      otherwise: z
        .custom<number | "fail">((value) => value === "fail" || (Number.isInteger(value) && (value as number) >= 0), {
          error: 'must be a path index (an integer ≥ 0) or "fail"',
        })
        .default("fail"),
      modulo: integerWithin({ min: 1, max: SIZE_BOUNDS.concurrency.max }).nullable().default(null),
    })
    .superRefine((params, context) => {
      if (params.values === null) return;
      if (params.modulo !== null)
        context.addIssue({
          code: "custom",
          path: ["modulo"],
          input: params.modulo,
          message: "route by values or by modulo, not both: drop one",
        });
      if (params.values.length === 0)
        context.addIssue({ code: "custom", path: ["values"], input: params.values, message: "must list at least one value" });
    }),
  routes(params) {
    if (params.values === null) return params.modulo ?? DEFAULT_MODULO;
    return Math.max(params.values.length, params.otherwise === "fail" ? 0 : params.otherwise + 1);
  },
  createOp(params) {
    const read = fieldReader(params.field);
    if (params.values === null) {
      const modulo = params.modulo ?? DEFAULT_MODULO;
      return function routeBy(item: unknown): number {
        return hashModulo(read(item), modulo);
      };
    }
    const pathOf = new Map<string, number>();
    params.values.forEach((entry, index) => {
      for (const value of Array.isArray(entry) ? entry : [entry]) {
        const key = valueKey(value);
        if (!pathOf.has(key)) pathOf.set(key, index);
      }
    });
    const { otherwise } = params;
    const what = params.field ?? "the item";
    return function routeBy(item: unknown): number {
      const value = read(item);
      const path = pathOf.get(valueKey(value));
      if (path !== undefined) return path;
      if (otherwise !== "fail") return otherwise;
      throw new RouteByError(`${what} is ${previewJson(value)}, which values does not list (and otherwise is "fail")`);
    };
  },
};

/** Reads `field` (dotted for nested objects) of an item; the item itself without a field. */
function fieldReader(field: string | null): (item: unknown) => unknown {
  if (field === null) return (item) => item;
  const steps = field.split(".");
  return (item) => {
    let value = item;
    for (const step of steps) {
      if (value === null || typeof value !== "object" || !Object.hasOwn(value, step))
        throw new RouteByError(`the item has no field ${field} (got ${previewJson(item)})`);
      value = (value as Record<string, unknown>)[step];
    }
    return value;
  };
}

/** Values compare as JSON does: 1 and 1.0 alike, "1" and 1 not. */
function valueKey(value: unknown): string {
  return value === undefined ? "undefined" : JSON.stringify(value);
}

/** An integer modulo n (so ids spread evenly, as `x % n`); anything else by a hash of its JSON text. */
function hashModulo(value: unknown, modulo: number): number {
  if (typeof value === "number" && Number.isSafeInteger(value)) return ((value % modulo) + modulo) % modulo;
  return fnv1a(valueKey(value)) % modulo;
}

/** FNV-1a, 32 bits: the same number for the same text on every machine and run. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
