import { useSyncExternalStore } from "react";

/** The system's colour scheme, as CSS's prefers-color-scheme sees it. */
export type ColourScheme = "light" | "dark";

const query = (): MediaQueryList | null =>
  typeof window === "undefined" || !window.matchMedia ? null : window.matchMedia("(prefers-color-scheme: dark)");

const subscribe = (onChange: () => void): (() => void) => {
  const list = query();
  list?.addEventListener("change", onChange);
  return () => list?.removeEventListener("change", onChange);
};

/** The colour scheme now; a component using it renders again when the system's setting changes. */
export function useColourScheme(): ColourScheme {
  return useSyncExternalStore(subscribe, () => (query()?.matches ? "dark" : "light"));
}

/** A colour the stylesheet defines for the scheme in force (a CSS variable on :root), or the fallback. */
export function themeColour(variable: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(variable).trim();
  return value || fallback;
}
