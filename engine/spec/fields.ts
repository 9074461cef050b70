import { z } from "zod";

/** Field schemas whose messages read as plain words; the issue formatter appends ", got <value>". */

export function integerAtLeast(minimum: number) {
  const message = `must be an integer ≥ ${minimum}`;
  return z.int({ error: message }).min(minimum, { error: message });
}

export function numberAtLeast(minimum: number) {
  const message = `must be a number ≥ ${minimum}`;
  return z.number({ error: message }).min(minimum, { error: message });
}

export function positiveNumber() {
  const message = "must be a number > 0";
  return z.number({ error: message }).positive({ error: message });
}

export function fraction() {
  const message = "must be a number from 0 to 1";
  return z.number({ error: message }).min(0, { error: message }).max(1, { error: message });
}

export const maxFailures = z.number({ error: "must be an integer ≥ 0 or a fraction between 0 and 1" }).refine((value) => (Number.isInteger(value) && value >= 0) || (value > 0 && value < 1), {
  error: "must be an integer ≥ 0 or a fraction between 0 and 1",
});
