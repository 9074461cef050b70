/**
 * Which code a remote job runs, and the check that a worker has the same code. A job names its
 * module by a path relative to a root (the pipeline's side: the task's root; the worker's side:
 * its --root) with the file's sha256, or, for a module of Pipeline Studio itself and for catalog
 * ops, by the package version: a worker with other code refuses the stage, visibly.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ConfigError } from "../errors.js";
import type { RemoteTaskCode } from "../opTypes.js";
import { builtModuleUrl } from "../pool/builtModule.js";
import type { PoolTaskSpec } from "../pool/messages.js";

export type RemoteCode =
  | { kind: "module"; path: string; exportName: string; params: unknown; sha256: string }
  | { kind: "package"; path: string; exportName: string; params: unknown; version: string }
  | { kind: "catalog"; op: string; params: Readonly<Record<string, unknown>>; version: string };

/** The folder holding Pipeline Studio's package.json (from source or from dist/). */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
export const PACKAGE_VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string };
      if (manifest.name === "pipeline-studio") return dir;
    } catch {
      // Not here: look one folder up.
    }
    if (dirname(dir) === dir) return from;
  }
}

function isInside(root: string, file: string): boolean {
  const path = relative(root, file);
  return path !== "" && !path.startsWith("..") && !isAbsolute(path);
}

/** The pipeline's side: what the jobs of a remote stage carry (reads and hashes a module file). */
export async function describeCode(stage: string, code: RemoteTaskCode): Promise<RemoteCode> {
  if (code.kind === "catalog") return { kind: "catalog", op: code.op, params: code.params, version: PACKAGE_VERSION };
  const file = fileURLToPath(code.moduleUrl);
  if (isInside(PACKAGE_ROOT, file) && !isInside(code.root, file)) {
    return {
      kind: "package",
      path: toPosix(relative(PACKAGE_ROOT, file)),
      exportName: code.exportName,
      params: code.params,
      version: PACKAGE_VERSION,
    };
  }
  if (!isInside(code.root, file)) {
    throw new ConfigError(
      `stage '${stage}': ${file} is outside ${code.root}; a remote module must lie under the root workers resolve it against`,
    );
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new ConfigError(`stage '${stage}': cannot read ${file}: ${(error as Error).message}`);
  }
  return {
    kind: "module",
    path: toPosix(relative(code.root, file)),
    exportName: code.exportName,
    params: code.params,
    sha256: sha256(bytes),
  };
}

/** The worker's side: the pool task that runs a job's code here, or why this worker refuses it. */
export function resolveCode(code: RemoteCode, root: string): { task: PoolTaskSpec } | { refused: string } {
  if (code.kind === "catalog" || code.kind === "package") {
    if (code.version !== PACKAGE_VERSION) {
      return { refused: `the pipeline runs pipeline-studio ${code.version}, this worker ${PACKAGE_VERSION}` };
    }
    if (code.kind === "catalog") {
      return {
        task: {
          moduleUrl: builtModuleUrl("./catalogCall.js", import.meta.url),
          exportName: "callCatalogOp",
          params: { op: code.op, params: code.params, root },
        },
      };
    }
    const file = resolve(PACKAGE_ROOT, code.path);
    if (!isInside(PACKAGE_ROOT, file)) return { refused: `${code.path} is outside the package` };
    return { task: { moduleUrl: pathToFileURL(file).href, exportName: code.exportName, params: code.params } };
  }
  const file = resolve(root, code.path);
  if (!isInside(root, file)) return { refused: `${code.path} resolves outside this worker's root ${root}` };
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return { refused: `${file} does not exist on this worker (its root is ${root})` };
  }
  const here = sha256(bytes);
  if (here !== code.sha256) {
    return { refused: `${file} differs from the pipeline's (sha256 ${here.slice(0, 12)}… here, ${code.sha256.slice(0, 12)}… there)` };
  }
  return { task: { moduleUrl: pathToFileURL(file).href, exportName: code.exportName, params: code.params } };
}

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function toPosix(path: string): string {
  return path.split(sep).join("/");
}
