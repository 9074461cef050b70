import { InvalidArgumentError } from "commander";
import type { SizeBound } from "../../engine/bounds.js";

/**
 * A commander argument parser for whole numbers. Throwing InvalidArgumentError makes commander
 * report the option and the value it got, which main.ts turns into exit 2.
 */
export function integerAtLeast(minimum: number): (text: string) => number {
  return (text) => {
    const trimmed = text.trim();
    // Number("") is 0 and Number("1e3") is 1000: accept only plain digits, as a user would type them.
    if (!/^[+-]?\d+$/.test(trimmed)) throw new InvalidArgumentError(`Expected an integer ≥ ${minimum}.`);
    const value = Number(trimmed);
    if (!Number.isSafeInteger(value) || value < minimum) throw new InvalidArgumentError(`Expected an integer ≥ ${minimum}.`);
    return value;
  };
}

/** Like integerAtLeast, within one of the engine's SIZE_BOUNDS. */
export function integerWithin(bound: SizeBound): (text: string) => number {
  const atLeast = integerAtLeast(bound.min);
  return (text) => {
    const value = atLeast(text);
    if (value > bound.max) throw new InvalidArgumentError(`Expected an integer from ${bound.min} to ${bound.max}.`);
    return value;
  };
}
