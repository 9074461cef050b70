import { MAX_TIMER_MS, type SizeBound } from "./bounds.js";
import { ConfigError } from "./errors.js";
import { previewJson } from "./util/previewJson.js";

/** Option checks shared by the builder and the live knobs; messages name the option and the value. */

export function positiveInteger(label: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new ConfigError(`${label} must be an integer ≥ 1, got ${previewJson(value)}`);
  }
  return value;
}

export function nonNegativeInteger(label: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new ConfigError(`${label} must be an integer ≥ 0, got ${previewJson(value)}`);
  }
  return value;
}

/** An integer within one of SIZE_BOUNDS; the message names the bound that was crossed. */
export function integerWithin(label: string, value: unknown, bound: SizeBound): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < bound.min) {
    throw new ConfigError(`${label} must be an integer ≥ ${bound.min}, got ${previewJson(value)}`);
  }
  if (value > bound.max) throw new ConfigError(`${label} must be at most ${bound.max}, got ${previewJson(value)}`);
  return value;
}

export function positiveNumber(label: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`${label} must be a number > 0, got ${previewJson(value)}`);
  }
  return value;
}

/** A delay or timeout for a timer: > 0 and no longer than a timer can wait. */
export function timerMs(label: string, value: unknown): number {
  positiveNumber(label, value);
  if ((value as number) > MAX_TIMER_MS) throw new ConfigError(`${label} must be at most ${MAX_TIMER_MS} ms, got ${previewJson(value)}`);
  return value as number;
}

/** An integer count ≥ 0, or a fraction in (0, 1) of calls (checked once a stage made 100 calls). */
export function maxFailuresValue(label: string, value: unknown): number {
  if (typeof value === "number" && ((Number.isInteger(value) && value >= 0) || (value > 0 && value < 1))) return value;
  throw new ConfigError(`${label} must be an integer ≥ 0 or a fraction between 0 and 1, got ${previewJson(value)}`);
}

export function oneOf<T extends string>(label: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(`${label} must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, got ${previewJson(value)}`);
}
