import { describe, expect, it } from "vitest";
import { placeFloating } from "./placeFloating.js";

/** Menus and the picker stay inside the window near its edges. */

const window = { width: 1280, height: 720 };
const menu = { width: 200, height: 300 };

describe("placeFloating", () => {
  it("opens at the point where it fits", () => {
    expect(placeFloating({ x: 100, y: 100 }, menu, window)).toEqual({ x: 100, y: 100 });
  });

  it("flips left of the point near the right edge and above it near the bottom", () => {
    expect(placeFloating({ x: 1250, y: 100 }, menu, window)).toEqual({ x: 1050, y: 100 });
    expect(placeFloating({ x: 100, y: 700 }, menu, window)).toEqual({ x: 100, y: 400 });
    const corner = placeFloating({ x: 1279, y: 719 }, menu, window);
    expect(corner.x + menu.width).toBeLessThanOrEqual(window.width);
    expect(corner.y + menu.height).toBeLessThanOrEqual(window.height);
  });

  it("never goes off the top or left, even when the box is larger than the window", () => {
    expect(placeFloating({ x: 50, y: 50 }, { width: 2000, height: 900 }, window)).toEqual({ x: 8, y: 8 });
  });
});
