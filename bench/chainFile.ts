/**
 * A long chain as a pipeline file, written without positions (the app lays it out as it opens):
 * a range source, `stages` sleep stages of 1 ms, a sink. The UI benchmark and the big-graph
 * browser tests open it.
 */
export function longChainFile(stages: number, count = 1000): object {
  const ids = ["numbers", ...Array.from({ length: stages }, (_, i) => `step${i + 1}`), "sink"];
  return {
    format: "pipeline-studio/1",
    name: `${stages}-stage chain`,
    nodes: ids.map((id, i) =>
      i === 0
        ? { id, kind: "source", op: "range", params: { count } }
        : i === ids.length - 1
          ? { id, kind: "sink" }
          : { id, kind: "stage", op: "sleep", params: { ms: 1 } },
    ),
    edges: ids.slice(1).map((id, i) => ({ from: ids[i], to: id })),
  };
}
