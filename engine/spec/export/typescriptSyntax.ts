/**
 * The only ways text from a pipeline file enters a generated TypeScript program: as a string
 * literal, inside a line comment, as an object key, or as a value. Identifiers are tsIdentifier's
 * (identifiers.ts). No user text goes into a template literal.
 */
import { hex, isUnprintable, mapCodePoints } from "./printable.js";

const STRING_ESCAPES: Readonly<Record<string, string>> = { "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t" };
const COMMENT_ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** Each UTF-16 unit as \uNNNN: valid for every target, and for a lone surrogate too. */
function codeUnitEscapes(character: string): string {
  let escaped = "";
  for (let index = 0; index < character.length; index++) escaped += `\\u${hex(character.charCodeAt(index), 4)}`;
  return escaped;
}

/** A double-quoted string literal that evaluates to exactly `text`; no raw line terminator (U+2028 included) or invisible character. */
export function tsString(text: string): string {
  return `"${mapCodePoints(text, (character) => STRING_ESCAPES[character] ?? (isUnprintable(character) ? codeUnitEscapes(character) : undefined))}"`;
}

/**
 * A whole `// …` comment showing `text` on one line. JavaScript ends a line comment at \n, \r,
 * U+2028 and U+2029; every unprintable code point is escaped, and "*\/" is broken up so the text
 * cannot close a block comment either, should one ever hold it.
 */
export function tsComment(text: string): string {
  const shown = mapCodePoints(text, (character) =>
    isUnprintable(character) ? (COMMENT_ESCAPES[character] ?? codeUnitEscapes(character)) : undefined,
  ).replace(/\*\//g, "*\\/");
  return shown === "" ? "//" : `// ${shown}`;
}

export function tsNumber(value: number): string {
  if (Object.is(value, -0)) return "-0";
  // String() writes NaN, Infinity and -Infinity, the globals of those names.
  return String(value);
}

const PLAIN_PROPERTY_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * An object literal's key that defines an own property named `key`. `__proto__: v` and
 * `"__proto__": v` would set the object's prototype instead; a computed key never does.
 */
export function tsPropertyKey(key: string): string {
  if (key === "__proto__") return `[${tsString(key)}]`;
  return PLAIN_PROPERTY_NAME.test(key) ? key : tsString(key);
}

/** A JSON-like value as a TypeScript expression: `{ ms: 20, tags: ["a"] }`. */
export function tsValue(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return tsString(value);
  if (typeof value === "number") return tsNumber(value);
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(tsValue).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return "{}";
    return `{ ${entries.map(([key, field]) => `${tsPropertyKey(key)}: ${tsValue(field)}`).join(", ")} }`;
  }
  return "null";
}
