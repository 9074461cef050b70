/**
 * The code points generated code never carries raw, in either language: what Python's
 * str.isprintable() rejects, space aside. That is controls (NUL, line breaks, form feed, ESC),
 * format characters (bidi overrides that make code read differently than it runs, zero-width
 * characters, BOM), lone surrogates (no UTF-8 encoding), private-use and unassigned code points,
 * and separators other than space (U+2028/U+2029 end a line in JavaScript and in editors).
 */
const UNPRINTABLE = /^(?! )[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Z}]$/u;

export function isUnprintable(character: string): boolean {
  return UNPRINTABLE.test(character);
}

/**
 * `text` with each code point replaced by what `escape` returns for it, or kept when it returns
 * undefined. Walks code points, so a surrogate pair stays one character and a lone surrogate is one.
 */
export function mapCodePoints(text: string, escape: (character: string, codePoint: number) => string | undefined): string {
  let result = "";
  for (const character of text) result += escape(character, character.codePointAt(0)!) ?? character;
  return result;
}

export function hex(value: number, digits: number): string {
  return value.toString(16).padStart(digits, "0");
}
