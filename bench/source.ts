/** The source every contender reads: a plain synchronous generator, so none gets a head start. */
export function* range(count: number): Generator<number, void, undefined> {
  for (let i = 0; i < count; i++) yield i;
}
