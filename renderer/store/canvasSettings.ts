import { create } from "zustand";
import { createJSONStorage, persist } from "zustand/middleware";

/** The canvas's grid: the background's spacing, and what snapped nodes land on. */
export const GRID_SIZE = 20;

export interface CanvasSettings {
  /** Dragged and dropped nodes, notes and groups land on multiples of GRID_SIZE. */
  snapToGrid: boolean;
  toggleSnapToGrid(): void;
}

/**
 * How this browser likes the canvas, kept in its localStorage (a preference of the person at the
 * screen, not of the pipeline: never in the file).
 */
export const useCanvasSettings = create<CanvasSettings>()(
  persist(
    (set, get) => ({
      snapToGrid: false,
      toggleSnapToGrid: () => set({ snapToGrid: !get().snapToGrid }),
    }),
    {
      name: "pipeline-studio.canvas",
      version: 1,
      storage: createJSONStorage(() => localStorage),
      partialize: (state) => ({ snapToGrid: state.snapToGrid }),
    },
  ),
);

/** A position on the grid when snapping is on (the setting in force, unless told), as React Flow snaps a dragged node. */
export function onGrid(position: { x: number; y: number }, snap = useCanvasSettings.getState().snapToGrid): { x: number; y: number } {
  if (!snap) return position;
  return { x: Math.round(position.x / GRID_SIZE) * GRID_SIZE, y: Math.round(position.y / GRID_SIZE) * GRID_SIZE };
}
