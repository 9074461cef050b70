import { z } from "zod";
import type { OpDefinition } from "./catalog.js";
import { gunzip, gzip } from "./compression.js";
import { jsonParse, jsonStringify, sha256 } from "./encoding.js";
import { files } from "./files.js";
import { httpGet, readFile } from "./io.js";
import { cpu, fail, sleep } from "./simulated.js";
import { routeBy } from "./routing.js";
import { list, range } from "./sources.js";
import { userModule } from "./userCode.js";

export type { OpBuildContext, OpCategory, OpDefinition, OpExecution, SourceOpDefinition, StageOpDefinition } from "./catalog.js";

/** Every built-in op, by name. All of them work with nothing outside the machine. */
export const catalog: ReadonlyMap<string, OpDefinition> = new Map(
  (
    [
      range,
      list,
      files,
      sleep,
      cpu,
      fail,
      readFile,
      httpGet,
      gzip,
      gunzip,
      sha256,
      jsonParse,
      jsonStringify,
      routeBy,
      userModule,
    ] as OpDefinition[]
  ).map((op) => [op.name, op]),
);

/** The catalog as plain data (JSON Schema for each op's params), for the editor's palette and forms. */
export interface OpDescription {
  name: string;
  kind: "source" | "stage";
  category: OpDefinition["category"];
  execution: OpDefinition["execution"];
  /** A router: it picks a path, so it belongs in a route node. */
  router: boolean;
  description: string;
  /** Other words the op is searched by. */
  synonyms: string[];
  paramsSchema: Record<string, unknown>;
  defaults: Record<string, unknown>;
}

export function describeCatalog(): OpDescription[] {
  return [...catalog.values()].map((op) => ({
    name: op.name,
    kind: op.kind,
    category: op.category,
    execution: op.execution,
    router: op.kind === "stage" && op.router === true,
    description: op.description,
    synonyms: [...op.synonyms],
    paramsSchema: z.toJSONSchema(op.params, { io: "input", unrepresentable: "any" }) as Record<string, unknown>,
    defaults: op.params.parse({}) as Record<string, unknown>,
  }));
}

export { HttpError, HttpTimeoutError } from "./io.js";
export { SimulatedFailure } from "./simulated.js";
export { RouteByError } from "./routing.js";
