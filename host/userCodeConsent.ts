/**
 * The host's own check before it runs user code. The page asks the user ("This pipeline runs
 * user code… Run it?") and sends the modules the user was shown; a request whose pipeline would
 * run any other module is refused. The page is the user, but a page that skipped the question (a
 * bug, a validation gone stale after an edit, a script on the socket) must not be enough for the
 * host to run code nobody confirmed.
 */

export class UnconfirmedUserCodeError extends Error {
  override name = "UnconfirmedUserCodeError";
}

/** Throws unless every module the pipeline runs (absolute paths) is among those confirmed. */
export function requireConfirmedUserCode(modules: readonly string[], confirmed: readonly string[]): void {
  const allowed = new Set(confirmed);
  const unconfirmed = [...new Set(modules)].filter((module) => !allowed.has(module));
  if (unconfirmed.length === 0) return;
  throw new UnconfirmedUserCodeError(
    `this pipeline runs user code that was not confirmed: ${unconfirmed.join(", ")}; nothing ran (confirm it to run)`,
  );
}
