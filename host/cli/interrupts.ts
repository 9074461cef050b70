/** What a run does on Ctrl-C: the first stops cleanly, a second one means "now". */
export interface InterruptHandlers {
  first(): void;
  second(): void;
}

/** Subscribes to interrupts; returns the unsubscribe. Injected so tests can interrupt in-process. */
export type InterruptSource = (handlers: InterruptHandlers) => () => void;

export const processInterrupts: InterruptSource = (handlers) => {
  let count = 0;
  const onSignal = () => {
    count++;
    if (count === 1) handlers.first();
    else handlers.second();
  };
  // Listening replaces Node's default (die at once), which would skip the final table.
  process.on("SIGINT", onSignal);
  return () => process.off("SIGINT", onSignal);
};
