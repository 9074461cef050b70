import { create } from "zustand";

/**
 * The stage the pointer is on, in the graph or on a chart line: the graph outlines its node
 * and every chart brings its lines forward. One small store so neither side knows the other.
 */
interface HoverState {
  stage: string | null;
  setHoveredStage(stage: string | null): void;
}

export const useHover = create<HoverState>()((set, get) => ({
  stage: null,
  setHoveredStage(stage) {
    if (get().stage !== stage) set({ stage });
  },
}));
