import { MAX_NESTING } from "../bounds.js";
import { formatPath, type SpecProblem } from "./problems.js";

/** How much of a path a nesting problem names: enough to find the param (nodes[1].params.x), not a thousand [0]s. */
const NAMED_SEGMENTS = 4;

export interface NestingCheck {
  /** The value with every part nested too deep taken out (the input is left as it was). */
  value: unknown;
  problems: SpecProblem[];
  /** The paths taken out: problems at or under them say nothing the nesting problem does not. */
  removed: string[];
}

/**
 * Finds arrays and objects nested deeper than MAX_NESTING (the file's own object is level 1)
 * without recursing, so any depth is safe to check. The code that comes after (the schema, value
 * previews, structured clones, exporters) does recurse, so it only sees what passed here.
 */
export function limitNesting(raw: unknown, maxDepth = MAX_NESTING): NestingCheck {
  const tooDeep: PropertyKey[][] = [];
  const stack: { value: unknown; depth: number; path: PropertyKey[] }[] = [{ value: raw, depth: 1, path: [] }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (value === null || typeof value !== "object") continue;
    if (depth > maxDepth) {
      const named = namedPart(path);
      if (!tooDeep.some((earlier) => isPrefix(earlier, named))) tooDeep.push(named);
      continue;
    }
    // Paths past the named part are not kept: a deep chain would otherwise cost its depth squared.
    const child = (key: PropertyKey): PropertyKey[] => (path.length < NAMED_SEGMENTS ? [...path, key] : path);
    if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--) stack.push({ value: value[index], depth: depth + 1, path: child(index) });
    } else {
      for (const [key, entry] of Object.entries(value)) stack.push({ value: entry, depth: depth + 1, path: child(key) });
    }
  }
  if (tooDeep.length === 0) return { value: raw, problems: [], removed: [] };
  const removed = tooDeep.map((path) => formatPath(path));
  return {
    value: tooDeep.reduce(withoutPath(), raw),
    problems: removed.map((path) => ({
      path,
      message: `nested more than ${maxDepth} levels (arrays and objects within each other); flatten it`,
    })),
    removed,
  };
}

/** True if `problemPath` is `removed` or lies under it. */
export function isUnder(problemPath: string, removed: string): boolean {
  if (removed === "$") return true;
  return problemPath === removed || problemPath.startsWith(`${removed}.`) || problemPath.startsWith(`${removed}[`);
}

/** The first segments of a path, without runs of indices ("build[0][0][0]" names "build[0]"). */
function namedPart(path: PropertyKey[]): PropertyKey[] {
  const named = path.slice(0, NAMED_SEGMENTS);
  while (named.length > 1 && typeof named[named.length - 1] === "number" && typeof named[named.length - 2] === "number") named.pop();
  return named;
}

function isPrefix(prefix: PropertyKey[], path: PropertyKey[]): boolean {
  return prefix.length <= path.length && prefix.every((key, index) => key === path[index]);
}

/**
 * A reducer that takes one path out of the value, copying each container on the way (once: the
 * copies are remembered) so the caller's value is not changed. Fields are defined, not assigned,
 * so a "__proto__" key stays an own field rather than becoming a prototype.
 */
function withoutPath(): (value: unknown, path: PropertyKey[]) => unknown {
  const copies = new Map<object, object>();
  const copyOf = (container: object): Record<PropertyKey, unknown> => {
    let copy = copies.get(container);
    if (!copy) {
      copy = Array.isArray(container) ? [...(container as unknown[])] : { ...container };
      copies.set(container, copy);
      copies.set(copy, copy);
    }
    return copy as Record<PropertyKey, unknown>;
  };
  return (value, path) => {
    const root = copyOf(value as object);
    let parent = root;
    for (const key of path.slice(0, -1)) {
      const copy = copyOf(parent[key] as object);
      Object.defineProperty(parent, key, { value: copy, writable: true, enumerable: true, configurable: true });
      parent = copy;
    }
    const last = path[path.length - 1];
    if (Array.isArray(parent)) parent[last as number] = undefined;
    else delete parent[last];
    return root;
  };
}
