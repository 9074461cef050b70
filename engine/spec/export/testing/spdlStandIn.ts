/** A stand-in for SPDL's spdl.pipeline package, for tests that run exported Python programs. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Stands in for spdl.pipeline to run the exported programs here (spdl is not installed): the same
 * names and signatures (keyword-only options; a wrong keyword raises TypeError), with stages run
 * one item at a time. It checks that the generated Python runs and delivers what the file does;
 * concurrency is SPDL's business, not the export's.
 */
/** Python's _as_json(value): a value as the stand-in records it (needs `import math`); standInJson is its counterpart here. */
export const PYTHON_AS_JSON = `def _as_json(value):
    # JSON has no NaN or infinities: they are written as {"non-finite": "nan" | "inf" | "-inf"}.
    if isinstance(value, float) and not math.isfinite(value):
        return {"non-finite": repr(value)}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    if isinstance(value, dict):
        return {key: _as_json(field) for key, field in value.items()}
    return value
`;

const SPDL_STAND_IN: Readonly<Record<string, string>> = {
  "spdl/__init__.py": "",
  "spdl/pipeline/defs.py": `
class SourceConfig:
    def __init__(self, source, continuous=False):
        if continuous:
            raise NotImplementedError("the stand-in runs one pass; continuous sources run on SPDL itself")
        iter(source)
        self.source = source


class SinkConfig:
    def __init__(self, buffer_size):
        if not isinstance(buffer_size, int) or buffer_size < 1:
            raise ValueError(buffer_size)
        self.buffer_size = buffer_size


class MergeConfig:
    def __init__(self, pipeline_configs):
        self.pipeline_configs = pipeline_configs


class PipelineConfig:
    def __init__(self, src, pipes, sink):
        self.src, self.pipes, self.sink = src, list(pipes), sink


def Merge(pipeline_configs, op=None):
    return MergeConfig(list(pipeline_configs))


# What the program passed, for a test to compare with the file.
NAMES = []
FAILURES = []


def Pipe(op, /, *, concurrency=1, executor=None, name=None, output_order="completion", max_failures=None):
    if output_order not in ("completion", "input") or concurrency < 1:
        raise ValueError((concurrency, output_order))
    NAMES.append(name)
    return ("pipe", op, max_failures)


def Aggregate(num_items, /, *, drop_last=False):
    return ("aggregate", num_items, drop_last)


def Disaggregate():
    return ("disaggregate",)


def PathVariants(router, paths, name=None, batched=False):
    if not callable(router) or len(paths) < 1 or any(len(path) == 0 for path in paths) or batched:
        raise ValueError((router, paths, batched))
    return ("path_variants", router, [list(path) for path in paths])
`,
  "spdl/pipeline/__init__.py": `
import asyncio
import contextlib
import inspect
import json
import math
import os

from .defs import FAILURES, NAMES, Aggregate, Disaggregate, MergeConfig, PathVariants, Pipe, PipelineConfig, SinkConfig, SourceConfig


def _run(config, loop, max_failures):
    if isinstance(config.src, MergeConfig):
        items = (item for branch in config.src.pipeline_configs for item in _run(branch, loop, max_failures))
    else:
        items = iter(config.src.source)
    for stage in config.pipes:
        items = _stage(stage, items, loop, max_failures)
    return items


def _stage(stage, items, loop, max_failures):
    if stage[0] == "path_variants":
        # Routes every item first, then runs each path over its share: counts, not timing.
        router, paths = stage[1], stage[2]
        routed = [[] for _ in paths]
        for item in items:
            index = router(item)
            if inspect.isawaitable(index):
                index = loop.run_until_complete(index)
            if not 0 <= index < len(paths):
                raise IndexError(index)
            routed[index].append(item)
        for path, share in zip(paths, routed):
            flowing = iter(share)
            for path_stage in path:
                flowing = _stage(path_stage, flowing, loop, max_failures)
            yield from flowing
        return
    if stage[0] == "aggregate":
        batch = []
        for item in items:
            batch.append(item)
            if len(batch) == stage[1]:
                yield batch
                batch = []
        if batch and not stage[2]:
            yield batch
        return
    if stage[0] == "disaggregate":
        for batch in items:
            yield from batch
        return
    op, limit = stage[1], stage[2] if stage[2] is not None else max_failures
    failures = 0
    for item in items:
        try:
            result = op(item)
            if inspect.isawaitable(result):
                result = loop.run_until_complete(result)
        except Exception as error:
            FAILURES.append(str(error))
            failures += 1
            if limit is not None and limit >= 0 and failures > limit:
                raise
            continue
        if result is not None:
            yield result


class Pipeline:
    def __init__(self, config, max_failures):
        self._config, self._max_failures = config, max_failures

    @contextlib.contextmanager
    def auto_stop(self):
        yield

    def __iter__(self):
        loop = asyncio.new_event_loop()
        delivered = []
        try:
            for item in _run(self._config, loop, self._max_failures):
                delivered.append(item)
                yield item
        finally:
            loop.close()
        # Lets a test compare the items themselves, not only their count.
        if os.environ.get("SPDL_STAND_IN_RECORD"):
            with open(os.environ["SPDL_STAND_IN_RECORD"], "w") as file:
                json.dump({"items": _as_json(delivered), "names": NAMES, "failures": FAILURES}, file)


${PYTHON_AS_JSON}

def build_pipeline(pipeline_cfg, /, *, num_threads, max_failures=-1, report_stats_interval=-1, queue_class=None, task_hook_factory=None, stage_id=0):
    return Pipeline(pipeline_cfg, max_failures)


class PipelineBuilder:
    def __init__(self):
        self._src, self._pipes, self._sink = None, [], None

    def add_source(self, source, *, continuous=False):
        self._src = SourceConfig(source, continuous)
        return self

    def pipe(self, op, /, *, concurrency=1, executor=None, name=None, output_order="completion", max_failures=None):
        self._pipes.append(Pipe(op, concurrency=concurrency, name=name, output_order=output_order, max_failures=max_failures))
        return self

    def aggregate(self, num_items, /, *, drop_last=False):
        self._pipes.append(Aggregate(num_items, drop_last=drop_last))
        return self

    def disaggregate(self):
        self._pipes.append(Disaggregate())
        return self

    def path_variants(self, router, paths, name=None, batched=False):
        self._pipes.append(PathVariants(router, paths, name, batched))
        return self

    def add_sink(self, buffer_size=3):
        self._sink = SinkConfig(buffer_size)
        return self

    def build(self, *, num_threads, max_failures=-1, report_stats_interval=-1, queue_class=None, task_hook_factory=None, stage_id=0):
        return build_pipeline(PipelineConfig(self._src, self._pipes, self._sink), num_threads=num_threads, max_failures=max_failures)
`,
};

/** Writes the stand-in package into `folder`: the folder to put on PYTHONPATH. */
export function writeSpdlStandIn(folder: string): string {
  for (const [file, text] of Object.entries(SPDL_STAND_IN)) {
    mkdirSync(join(folder, file, ".."), { recursive: true });
    writeFileSync(join(folder, file), text);
  }
  return folder;
}

/** What a run writes to the file named by SPDL_STAND_IN_RECORD when the pipeline ends. */
export interface SpdlStandInRecord {
  /** The delivered items, as standInJson writes them. */
  items: unknown[];
  /** The name= of every Pipe, in the order the program made them. */
  names: (string | null)[];
  /** The message of every failure a stage caught. */
  failures: string[];
}

export function readSpdlStandInRecord(path: string): SpdlStandInRecord {
  return JSON.parse(readFileSync(path, "utf8")) as SpdlStandInRecord;
}

/** A value as the stand-in records it after a round trip through Python: NaN and infinities tagged, as JSON cannot hold them. */
export function standInJson(value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value))
    return { "non-finite": Number.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf" };
  if (Array.isArray(value)) return value.map(standInJson);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, standInJson(field)]));
  return value;
}
