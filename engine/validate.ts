import { ConfigError } from "./errors.js";

/** Option checks shared by the builder and the live knobs; messages name the option and the value. */

export function positiveInteger(label: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new ConfigError(`${label} must be an integer ≥ 1, got ${describe(value)}`);
  }
  return value;
}

export function nonNegativeInteger(label: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new ConfigError(`${label} must be an integer ≥ 0, got ${describe(value)}`);
  }
  return value;
}

export function positiveNumber(label: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`${label} must be a number > 0, got ${describe(value)}`);
  }
  return value;
}

/** An integer count ≥ 0, or a fraction in (0, 1) of calls (checked once a stage made 100 calls). */
export function maxFailuresValue(label: string, value: unknown): number {
  if (typeof value === "number" && ((Number.isInteger(value) && value >= 0) || (value > 0 && value < 1))) return value;
  throw new ConfigError(`${label} must be an integer ≥ 0 or a fraction between 0 and 1, got ${describe(value)}`);
}

export function oneOf<T extends string>(label: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(`${label} must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, got ${describe(value)}`);
}

function describe(value: unknown): string {
  return typeof value === "string" ? `"${value}"` : String(value);
}
