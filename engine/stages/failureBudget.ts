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

  constructor(
    private readonly pipelineWide: FailureCount,
    private readonly pipelineLimit: number | undefined,
    private readonly ownLimit: number | undefined,
  ) {}

  /** One call completed (a generator: one step); the verdict when the counter this stage answers to is past its limit. */
  record(failed: boolean): BudgetExceeded | undefined {
    this.pipelineWide.calls++;
    this.own.calls++;
    if (failed) {
      this.pipelineWide.failures++;
      this.own.failures++;
    }
    const scope = this.ownLimit !== undefined ? "stage" : "pipeline";
    const limit = this.ownLimit ?? this.pipelineLimit;
    if (limit === undefined) return undefined;
    const counter = scope === "stage" ? this.own : this.pipelineWide;
    if (!exceeds(counter, limit)) return undefined;
    return { scope, failures: counter.failures, calls: counter.calls, limit };
  }
}

export function exceeds({ calls, failures }: FailureCount, limit: number): boolean {
  if (Number.isInteger(limit)) return failures > limit;
  if (calls < RATE_PROBATION_CALLS) return false;
  const { numerator, denominator } = decimalFraction(limit);
  return BigInt(failures) * denominator > numerator * BigInt(calls);
}

/** The exact fraction a number's shortest decimal form denotes ("0.05" → 1/20, "1e-7" → 1/10⁷). */
export function decimalFraction(value: number): { numerator: bigint; denominator: bigint } {
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
