import type { RequestName, StudioApi, StudioEvent } from "../../api/types.js";

/** A stand-in host for store tests: answers requests from a table; records what was asked, and with which params. */
export function fakeApi(
  answers: Partial<Record<RequestName, () => Promise<unknown>>>,
): StudioApi & { asked: RequestName[]; params: unknown[] } {
  const asked: RequestName[] = [];
  const params: unknown[] = [];
  return {
    asked,
    params,
    request: (async (name: RequestName, given: unknown) => {
      asked.push(name);
      params.push(given);
      const answer = answers[name];
      if (!answer) throw new Error(`unexpected request ${name}`);
      return answer();
    }) as StudioApi["request"],
    onEvent: (_listener: (event: StudioEvent) => void) => () => undefined,
  };
}
