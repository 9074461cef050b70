/** Pipeline files whose graphs go deep, for the tests of what walks them. */

/** `merges` stages, each merging the chain so far with a source of its own: merges nest `merges` deep. */
export function ladderFile(merges: number): unknown {
  const nodes: Record<string, unknown>[] = [{ id: "first", kind: "source", op: "range", params: { count: 2 } }];
  const edges: { from: string; to: string }[] = [];
  let last = "first";
  for (let index = 0; index < merges; index++) {
    nodes.push(
      { id: `more${index}`, kind: "source", op: "range", params: { count: 1, start: 100 + index } },
      { id: `m${index}`, kind: "stage", op: "sleep", params: { ms: 0 } },
    );
    edges.push({ from: last, to: `m${index}` }, { from: `more${index}`, to: `m${index}` });
    last = `m${index}`;
  }
  nodes.push({ id: "sink", kind: "sink" });
  edges.push({ from: last, to: "sink" });
  return { format: "pipeline-studio/1", nodes, edges };
}
