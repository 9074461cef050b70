import { z } from "zod";
import { MAX_TIMER_MS, type SizeBound } from "../bounds.js";

/** Field schemas whose messages read as plain words; the issue formatter appends ", got <value>". */

/** A place on the canvas (absolute coordinates). */
export const positionSchema = z.strictObject({ x: z.number(), y: z.number() });

export function integerAtLeast(minimum: number) {
  const message = `must be an integer ≥ ${minimum}`;
  return z.int({ error: message }).min(minimum, { error: message });
}

/** An integer within one of SIZE_BOUNDS: the message of a value past it names the bound. */
export function integerWithin(bound: SizeBound) {
  return integerAtLeast(bound.min).max(bound.max, { error: `must be at most ${bound.max}` });
}

export function numberAtLeast(minimum: number) {
  const message = `must be a number ≥ ${minimum}`;
  return z.number({ error: message }).min(minimum, { error: message });
}

export function positiveNumber() {
  const message = "must be a number > 0";
  return z.number({ error: message }).positive({ error: message });
}

const timerMessage = `must be at most ${MAX_TIMER_MS} ms (about 24.8 days, the longest a timer waits)`;

/** A timeout: > 0 and no longer than a timer can wait. */
export function timeoutMs() {
  return positiveNumber().max(MAX_TIMER_MS, { error: timerMessage });
}

/** A wait an op makes (sleep's ms): ≥ 0 and no longer than a timer can wait. */
export function delayMs() {
  return numberAtLeast(0).max(MAX_TIMER_MS, { error: timerMessage });
}

export function fraction() {
  const message = "must be a number from 0 to 1";
  return z.number({ error: message }).min(0, { error: message }).max(1, { error: message });
}

export const maxFailures = z
  .number({ error: "must be an integer ≥ 0 or a fraction between 0 and 1" })
  .refine((value) => (Number.isInteger(value) && value >= 0) || (value > 0 && value < 1), {
    error: "must be an integer ≥ 0 or a fraction between 0 and 1",
  });

/**
 * An object of named values (a node's params) with every key it was written with: z.record
 * drops a "__proto__" key without a word (it never becomes a prototype either way), so the op's
 * strict schema after it could not call that key unknown. Kept as an own field of a fresh
 * object, it is reported, and spreads copy it without touching any prototype.
 */
export function namedValues(message: string) {
  return z
    .custom<Record<string, unknown>>((value) => typeof value === "object" && value !== null && !Array.isArray(value), { error: message })
    .transform((value) => Object.fromEntries(Object.entries(value)));
}
