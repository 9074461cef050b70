import type { StudioApi } from "../api/types.js";
import { loadCatalog } from "./catalog.js";
import { openStartupPipeline } from "./fileCommands.js";
import { lockEditsWhileBusy } from "./editLock.js";
import { setHostApi } from "./hostConnection.js";
import { routeHostEvent } from "./hostEvents.js";
import { showHostActivity } from "./runEvents.js";
import { validateOnEdit } from "./validation.js";

/**
 * Wires the stores to the host: its events, validation as you edit, the catalog; then the run in
 * progress with the graph it started with (a reload or a second window mid-run), or else the
 * file named at launch, or the seed example. Returns the stop.
 */
export function startSession(studioApi: StudioApi): () => void {
  setHostApi(studioApi);
  const offEvents = studioApi.onEvent(routeHostEvent);
  const stopValidating = validateOnEdit();
  const unlock = lockEditsWhileBusy();
  void loadCatalog();
  void showHostActivity().then((shown) => (shown ? undefined : openStartupPipeline()));
  return () => {
    offEvents();
    stopValidating();
    unlock();
    setHostApi(null);
  };
}
