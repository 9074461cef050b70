import type { StudioApi } from "../api/types.js";
import { loadCatalog } from "./catalog.js";
import { openExample } from "./fileCommands.js";
import { setHostApi } from "./hostConnection.js";
import { routeHostEvent } from "./hostEvents.js";
import { validateOnEdit } from "./validation.js";

/** Wires the stores to the host: its events, validation as you edit, the catalog, the seed example. Returns the stop. */
export function startSession(studioApi: StudioApi): () => void {
  setHostApi(studioApi);
  const offEvents = studioApi.onEvent(routeHostEvent);
  const stopValidating = validateOnEdit();
  void loadCatalog();
  void openExample("seed-download-preprocess");
  return () => {
    offEvents();
    stopValidating();
    setHostApi(null);
  };
}
