import { describe, expect, it } from "vitest";
import { keysPressedTogether, SHORTCUTS } from "./shortcutList.js";
import { KEY_BINDINGS, pressed, type KeyPress } from "./shortcuts.js";

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, shiftKey: false, ...mods });

describe("editor keys", () => {
  it("lists every key the handler binds in the shortcut help", () => {
    const listed = new Set(SHORTCUTS.map((s) => s.keys));
    const unlisted = KEY_BINDINGS.map((b) => b.keys).filter((keys) => !listed.has(keys));
    expect(unlisted).toEqual([]);
    expect(KEY_BINDINGS.length).toBeGreaterThanOrEqual(14);
  });

  it("reads Ctrl or Cmd, Shift on letters, and a symbol whatever Shift it takes", () => {
    expect(pressed("Ctrl/Cmd-Z", press("z", { ctrlKey: true }))).toBe(true);
    expect(pressed("Ctrl/Cmd-Z", press("z", { metaKey: true }))).toBe(true);
    expect(pressed("Ctrl/Cmd-Z", press("z", { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(pressed("Ctrl/Cmd-Shift-Z", press("Z", { ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(pressed("Ctrl/Cmd-G", press("g"))).toBe(false);
    expect(pressed("Shift-N", press("N", { shiftKey: true }))).toBe(true);
    expect(pressed("Shift-N", press("n"))).toBe(false);
    expect(pressed("?", press("?", { shiftKey: true }))).toBe(true);
    expect(pressed("?", press("/", { shiftKey: false }))).toBe(false);
    expect(pressed("Delete", press("Delete"))).toBe(true);
    expect(pressed("Delete", press("Delete", { ctrlKey: true }))).toBe(false);
  });

  it("binds each press to one key at most", () => {
    const presses = [
      press("z", { ctrlKey: true }),
      press("Z", { ctrlKey: true, shiftKey: true }),
      press("g", { metaKey: true }),
      press("?", { shiftKey: true }),
    ];
    for (const p of presses) expect(KEY_BINDINGS.filter((b) => pressed(b.keys, p))).toHaveLength(1);
  });

  it("shows modifiers and a key apart, a gesture whole", () => {
    expect(keysPressedTogether("Ctrl/Cmd-Shift-Z")).toEqual(["Ctrl/Cmd", "Shift", "Z"]);
    expect(keysPressedTogether("Shift-drag")).toEqual(["Shift", "drag"]);
    expect(keysPressedTogether("Double-click the canvas")).toEqual(["Double-click the canvas"]);
    expect(keysPressedTogether("Right-click")).toEqual(["Right-click"]);
    expect(keysPressedTogether("?")).toEqual(["?"]);
  });
});
