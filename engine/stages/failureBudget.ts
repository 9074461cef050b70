/**
 * The failure budget, as SPDL counts it (`_FailCounter` in spdl/pipeline/_components/_pipe.py).
 * Every completed call of every stage that runs calls (pipe, aggregate, disaggregate) adds to one
 * pipeline-wide count; a stage with its own maxFailures also keeps its own count and answers only
 * to it, the others answer to the pipeline-wide count and the build's maxFailures. The limit is
 * judged after every call: an integer is a count of failures allowed; a number in (0, 1) a rate,
 * judged once its counter has seen 100 calls, as failures × den > num × calls with num/den the
 * exact decimal fraction (Python's `Fraction("0.05")`), so both engines trip on the same call.
 */

export interface FailureCount {
  calls: number;
  failures: number;
}

/** Which counter tripped, and its numbers at that call. */
export interface BudgetExceeded {
  /** "stage": the stage's own maxFailures; "pipeline": the build's, over all stages' calls. */
  scope: "stage" | "pipeline";
  failures: number;
  calls: number;
  limit: number;
}

/** Calls a rate waits for before it is judged (SPDL's probation period). */
export const RATE_PROBATION_CALLS = 100;

export class FailureBudget {
  private readonly own: FailureCount = { calls: 0, failures: 0 };
  private readonly scope: BudgetExceeded["scope"];
  private readonly limit: number | undefined;
  /** The counter this stage answers to. */
  private readonly counter: FailureCount;
  /** A rate limit as an exact fraction, worked out once (not per call). */
  private readonly fraction: Fraction | undefined;

  constructor(pipelineWide: FailureCount, pipelineLimit: number | undefined, ownLimit: number | undefined) {
    this.scope = ownLimit !== undefined ? "stage" : "pipeline";
    this.limit = ownLimit ?? pipelineLimit;
    this.counter = this.scope === "stage" ? this.own : pipelineWide;
    this.fraction = this.limit !== undefined && !Number.isInteger(this.limit) ? decimalFraction(this.limit) : undefined;
    this.pipelineWide = pipelineWide;
  }

  private readonly pipelineWide: FailureCount;

  /** One call completed (a generator: one step); the verdict when the counter this stage answers to is past its limit. */
  record(failed: boolean): BudgetExceeded | undefined {
    this.pipelineWide.calls++;
    this.own.calls++;
    if (failed) {
      this.pipelineWide.failures++;
      this.own.failures++;
    }
    const { limit, counter } = this;
    // A success can trip the pipeline-wide counter too: a stage with its own limit adds its failures there.
    if (limit === undefined || !exceeds(counter, limit, this.fraction)) return undefined;
    return { scope: this.scope, failures: counter.failures, calls: counter.calls, limit };
  }
}

interface Fraction {
  numerator: bigint;
  denominator: bigint;
}

export function exceeds({ calls, failures }: FailureCount, limit: number, fraction?: Fraction): boolean {
  if (Number.isInteger(limit)) return failures > limit;
  if (calls < RATE_PROBATION_CALLS) return false;
  const { numerator, denominator } = fraction ?? decimalFraction(limit);
  // Exact in doubles while both products stay below 2^53, which covers every run that fits in memory.
  const failureSide = failures * Number(denominator);
  const callSide = Number(numerator) * calls;
  if (failureSide <= Number.MAX_SAFE_INTEGER && callSide <= Number.MAX_SAFE_INTEGER) return failureSide > callSide;
  return BigInt(failures) * denominator > numerator * BigInt(calls);
}

/** The exact fraction a number's shortest decimal form denotes ("0.05" → 1/20, "1e-7" → 1/10⁷). */
export function decimalFraction(value: number): Fraction {
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(String(value));
  if (!match) throw new RangeError(`not a non-negative finite number: ${value}`);
  const [, whole, fractionDigits = "", exponentText = "0"] = match;
  const exponent = Number(exponentText) - fractionDigits.length;
  let numerator = BigInt(whole + fractionDigits);
  let denominator = 1n;
  if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
  else denominator = 10n ** BigInt(-exponent);
  const divisor = gcd(numerator, denominator);
  return { numerator: numerator / divisor, denominator: denominator / divisor };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}
