import { readFile, readdir } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { JsonObject } from "./mutations.js";

/** The examples folder, from bench/fuzz in the sources or dist/bench/fuzz when built. */
export const EXAMPLES_DIR = fileURLToPath(
  new URL(import.meta.url.includes("/dist/bench/") ? "../../../examples/" : "../../examples/", import.meta.url),
);

/**
 * The example pipeline files, to mutate. Their relative paths (a files folder) are made
 * absolute, so a mutant written to a folder of its own still finds the examples' data. Examples
 * with remote stages are left out: they run only with a Redis to name (run --redis or
 * --local-workers), which is what the remote stages' own tests give them.
 */
export async function exampleBases(folder = EXAMPLES_DIR): Promise<{ name: string; value: JsonObject }[]> {
  const names = (await readdir(folder)).filter((name) => name.endsWith(".pipeline.json")).sort();
  const bases = await Promise.all(
    names.map(async (name) => {
      const value = JSON.parse(await readFile(join(folder, name), "utf8")) as JsonObject;
      for (const node of value.nodes as JsonObject[]) {
        const params = node.params as JsonObject | undefined;
        if (node.op === "files" && typeof params?.folder === "string" && !isAbsolute(params.folder))
          params.folder = resolve(folder, params.folder);
      }
      return { name: name.replace(/\.pipeline\.json$/, ""), value };
    }),
  );
  return bases.filter(({ value }) => !(value.nodes as JsonObject[]).some((node) => node.runOn === "remote"));
}
