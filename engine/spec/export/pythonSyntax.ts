/**
 * The only ways text from a pipeline file enters a generated Python program: as a string literal,
 * inside a comment, or as a value. Identifiers are pyIdentifier's (identifiers.ts).
 */
import { hex, isUnprintable, mapCodePoints } from "./printable.js";

/**
 * The program's first line. Python honours an encoding declaration ("coding: …") in a comment on
 * line 1 or 2; a pipeline named "coding:unicode_escape" on either would make Python decode the
 * file so that an escaped "\n" in a comment becomes a line break and what follows runs as code.
 * Declared here first, and line 2 left empty, no text from the file can declare another.
 */
export const PYTHON_ENCODING_LINES = ["# -*- coding: utf-8 -*-", ""];

const STRING_ESCAPES: Readonly<Record<string, string>> = { "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t" };
const COMMENT_ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** A code point as Python writes it in repr(): \xNN, \uNNNN or \UNNNNNNNN (lone surrogates included). */
function codePointEscape(codePoint: number): string {
  if (codePoint < 0x100) return `\\x${hex(codePoint, 2)}`;
  if (codePoint < 0x10000) return `\\u${hex(codePoint, 4)}`;
  return `\\U${hex(codePoint, 8)}`;
}

/** A double-quoted Python str literal that reads back as exactly `text`, escaped as repr() would. */
export function pyString(text: string): string {
  return `"${mapCodePoints(text, (character, codePoint) => STRING_ESCAPES[character] ?? (isUnprintable(character) ? codePointEscape(codePoint) : undefined))}"`;
}

/**
 * A whole `# …` comment showing `text` on one line. Python ends a comment only at \n or \r, and
 * rejects a NUL anywhere in the source; every unprintable code point is escaped, so neither
 * happens and nothing (form feed, U+2028, a bidi override) makes the line look like two.
 */
export function pyComment(text: string): string {
  const shown = mapCodePoints(text, (character, codePoint) =>
    isUnprintable(character) ? (COMMENT_ESCAPES[character] ?? codePointEscape(codePoint)) : undefined,
  );
  return shown === "" ? "#" : `# ${shown}`;
}

/** A number as Python reads it back: integers exact (as int), -0 kept, NaN and infinities as floats. */
export function pyNumber(value: number): string {
  if (Number.isNaN(value)) return 'float("nan")';
  if (value === Infinity) return 'float("inf")';
  if (value === -Infinity) return 'float("-inf")';
  if (Object.is(value, -0)) return "-0.0";
  // String(1e21) is "1e+21", which Python reads as a float; the exact integer keeps int-ness.
  if (Number.isInteger(value)) return BigInt(value).toString();
  return String(value);
}

/** A JSON-like value as a Python expression: None/True/False, numbers, str, lists, dicts (keys as data). */
export function pyValue(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "string") return pyString(value);
  if (typeof value === "number") return pyNumber(value);
  if (typeof value === "boolean") return value ? "True" : "False";
  if (Array.isArray(value)) return `[${value.map(pyValue).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([key, field]) => `${pyString(key)}: ${pyValue(field)}`).join(", ")}}`;
  }
  return "None";
}
