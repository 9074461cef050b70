/**
 * A value as JSON text, cut at `limit` characters ("…" marks the cut). It stops writing once
 * past the limit, so its cost and its recursion depth follow the limit, not the value: safe for a
 * 100 MB string, an array nested 100,000 deep or a circular object. NaN and ±Infinity show as
 * such rather than as JSON's null; other non-JSON values (undefined, functions) by String().
 */
export function previewJson(value: unknown, limit = 60): string {
  let text = "";
  const full = (): boolean => text.length > limit;
  const visit = (current: unknown): void => {
    if (full()) return;
    if (typeof current === "string") {
      // Past the limit anyway: the cut below drops the rest, closing quote included.
      text += JSON.stringify(current.slice(0, limit + 1));
      return;
    }
    if (typeof current === "number") {
      text += String(current);
      return;
    }
    if (current === null || typeof current !== "object") {
      text += String(current);
      return;
    }
    if (Array.isArray(current)) {
      text += "[";
      for (let index = 0; index < current.length && !full(); index++) {
        if (index > 0) text += ",";
        visit(current[index]);
      }
      text += "]";
      return;
    }
    text += "{";
    let first = true;
    for (const key of Object.keys(current)) {
      if (full()) break;
      if (!first) text += ",";
      first = false;
      visit(key);
      text += ":";
      visit((current as Record<string, unknown>)[key]);
    }
    text += "}";
  };
  try {
    visit(value);
  } catch {
    // A getter that throws, a revoked proxy: say what it is rather than fail the message it is in.
    text = Object.prototype.toString.call(value);
  }
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}
