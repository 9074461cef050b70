/** Errors the engine raises. Their messages are meant to be shown to users verbatim. */

/** A bad builder call or knob value: names the option and the value it got. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** One failure of one stage, as kept in the failure log and carried by a PipelineError. */
export interface StageFailure {
  stage: string;
  error: Error;
  /** A short, single-line preview of the item that failed. */
  itemPreview: string;
  attempts: number;
  atMs: number;
}

/** Which failure counter stopped the pipeline: a stage's own, the pipeline-wide one, or a source that threw. */
export type FailureScope = "stage" | "pipeline" | "source";

/**
 * The pipeline stopped because a failure budget was exceeded (or its source threw). `scope` says
 * which counter tripped: the stage's own maxFailures ("stage", counting only its calls), the
 * build's ("pipeline", counting the calls of all stages together), or a source ("source");
 * `failures` and `calls` are that counter's numbers when it tripped.
 */
export class PipelineError extends Error {
  override name = "PipelineError";
  readonly scope: FailureScope;
  readonly calls: number;
  constructor(
    readonly stage: string,
    readonly failures: number,
    readonly maxFailures: number,
    readonly causes: readonly StageFailure[],
    counter: { scope: FailureScope; calls: number } = { scope: "source", calls: failures },
  ) {
    super(describe(stage, failures, maxFailures, causes, counter));
    this.scope = counter.scope;
    this.calls = counter.calls;
  }
}

function describe(
  stage: string,
  failures: number,
  maxFailures: number,
  causes: readonly StageFailure[],
  { scope, calls }: { scope: FailureScope; calls: number },
): string {
  const isRate = maxFailures > 0 && maxFailures < 1;
  const share = (value: number): string => `${(value * 100).toFixed(1)}%`;
  const limit = isRate ? `more than ${share(maxFailures)} of calls allowed` : `more than ${maxFailures} allowed`;
  const reasons = [...new Set(causes.map((c) => `${c.error.name}: ${c.error.message}`))].slice(0, 3);
  const counted = isRate ? ` in ${calls} calls, ${share(failures / calls)}` : "";
  const head =
    scope === "pipeline"
      ? `The pipeline-wide failure budget (build maxFailures) tripped at stage '${stage}': ${failures} failures${counted} across all stages (${limit})`
      : `Stage '${stage}' failed ${failures} times (${counted ? `${counted.slice(1)}; ` : ""}${limit}${scope === "stage" ? " by its own maxFailures" : ""})`;
  return `${head}; last causes: ${reasons.join("; ")}`;
}

/** getItem({ timeoutMs }) found no item in time. No item is consumed by the timed-out call. */
export class ItemTimeoutError extends Error {
  override name = "ItemTimeoutError";
  constructor(readonly timeoutMs: number) {
    super(`No item arrived within ${timeoutMs} ms`);
  }
}

/** getItem() after the last item was delivered, or after stop(). */
export class PipelineEndedError extends Error {
  override name = "PipelineEndedError";
  constructor(reason: "completed" | "stopped") {
    super(reason === "completed" ? "The pipeline has delivered all its items" : "The pipeline was stopped");
  }
}

/** A single call ran longer than the stage's timeoutMs. */
export class StageTimeoutError extends Error {
  override name = "StageTimeoutError";
  constructor(stage: string, timeoutMs: number) {
    super(`Stage '${stage}' call took longer than ${timeoutMs} ms`);
  }
}

export function asError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === "string" ? value : `Non-error thrown: ${String(value)}`);
}

/** A remote call got no result within its deadline (a stage's timeoutMs, or the remote default). */
export class RemoteDeadlineError extends Error {
  override name = "RemoteDeadlineError";
  constructor(stage: string, deadlineMs: number, detail: string) {
    super(`Stage '${stage}' remote call got no result within ${deadlineMs} ms (${detail})`);
  }
}

/** A remote call's job vanished from Redis (a restart without persistence): the call failed and may be retried. */
export class RemoteJobLostError extends Error {
  override name = "RemoteJobLostError";
  constructor(stage: string, jobId: string) {
    super(`Stage '${stage}' remote job ${jobId} is no longer in Redis (was Redis restarted?)`);
  }
}

/** The pipeline's Redis could not be reached when it started: nothing was taken from the source. */
export class RemoteUnavailableError extends PipelineError {
  override name = "RemoteUnavailableError";
  constructor(stage: string, message: string) {
    super(stage, 0, 0, []);
    this.message = message;
  }
}

/** A router returned something other than the index of one of its paths: that item fails (SPDL raises IndexError). */
export class RouteIndexError extends Error {
  override name = "RouteIndexError";
  constructor(stage: string, returned: string, paths: number) {
    super(
      `Route '${stage}' returned ${returned}, but it has ${paths} path${paths === 1 ? "" : "s"}: the router must return an integer from 0 to ${paths - 1}`,
    );
  }
}
