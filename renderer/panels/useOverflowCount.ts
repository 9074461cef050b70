import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from "react";

export interface OverflowRefs {
  /** The row: its width is what there is. */
  row: RefObject<HTMLElement | null>;
  /** Everything on the row, at its natural width (max-content). */
  content: RefObject<HTMLElement | null>;
  /**
   * Out of sight, each collapsible item in the order they go (first to go first), then the
   * overflow button: their widths, whether on the row or not.
   */
  measurer: RefObject<HTMLElement | null>;
}

/**
 * How many of a row's collapsible items go into its overflow menu for the row to fit its width on
 * one line. Measured (fonts and labels vary), whenever the row, its content or the items change
 * size: the content's full width is what is on the row plus what is in the menu, less the menu's
 * button; the count is the fewest items whose going makes the rest fit.
 */
export function useOverflowCount({ row, content, measurer }: OverflowRefs): number {
  const [hidden, setHidden] = useState(0);
  const committed = useRef(0);
  useLayoutEffect(() => {
    committed.current = hidden;
  }, [hidden]);

  useEffect(() => {
    const rowElement = row.current;
    const contentElement = content.current;
    const measurerElement = measurer.current;
    if (!rowElement || !contentElement || !measurerElement) return;
    const update = () => {
      const style = getComputedStyle(rowElement);
      const available = rowElement.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      const gap = parseFloat(getComputedStyle(contentElement).columnGap) || 0;
      const widths = Array.from(measurerElement.children, (child) => (child as HTMLElement).offsetWidth + gap);
      const menu = widths.pop() ?? 0;
      const now = committed.current;
      const full = contentElement.offsetWidth + sum(widths.slice(0, now)) - (now > 0 ? menu : 0);
      let count = 0;
      while (count < widths.length && full - sum(widths.slice(0, count)) + (count > 0 ? menu : 0) > available) count++;
      setHidden(count);
    };
    const observer = new ResizeObserver(update);
    observer.observe(rowElement);
    observer.observe(contentElement);
    observer.observe(measurerElement);
    return () => observer.disconnect();
  }, [row, content, measurer]);

  return hidden;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
