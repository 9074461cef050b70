import { create } from "zustand";
import type { OpDescription } from "../api/types.js";
import { guarded, requireApi } from "./hostConnection.js";

/** The ops the host offers (the palette; the inspector's op choices and parameter forms), read once a session. */
export const useCatalog = create<{ ops: OpDescription[] }>()(() => ({ ops: [] }));

export async function loadCatalog(): Promise<void> {
  const ops = await guarded(() => requireApi().request("getCatalog", {}));
  if (ops) useCatalog.setState({ ops });
}
