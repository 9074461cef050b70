import type { XYPosition } from "@xyflow/react";
import { useEffect, useLayoutEffect, useState, type CSSProperties, type RefObject } from "react";
import { placeFloating } from "./placeFloating.js";

/**
 * A menu's or picker's place on the screen (kept inside the window once its size is known), and
 * `close` called on a press outside it (a press on the canvas, the palette, anywhere else).
 */
export function useFloating(ref: RefObject<HTMLElement | null>, at: XYPosition, close: () => void): CSSProperties {
  const [place, setPlace] = useState<XYPosition | null>(null);
  useLayoutEffect(() => {
    const box = ref.current?.getBoundingClientRect();
    if (!box) return;
    setPlace(placeFloating(at, { width: box.width, height: box.height }, { width: window.innerWidth, height: window.innerHeight }));
  }, [ref, at]);
  useEffect(() => {
    const onPress = (event: PointerEvent) => {
      if (ref.current && event.target instanceof Node && !ref.current.contains(event.target)) close();
    };
    // Capture: React Flow's pane stops some presses from bubbling.
    window.addEventListener("pointerdown", onPress, true);
    return () => window.removeEventListener("pointerdown", onPress, true);
  }, [ref, close]);
  // Transparent until placed, so it never flashes where it does not fit (still focusable: its field takes the keys at once).
  return place ? { position: "fixed", left: place.x, top: place.y } : { position: "fixed", left: at.x, top: at.y, opacity: 0 };
}
