import { z } from "zod";
import type { OpDefinition } from "./catalog.js";
import { sleep } from "./simulated.js";
import { list, range } from "./sources.js";

export type { OpBuildContext, OpCategory, OpDefinition, OpExecution, SourceOpDefinition, StageOpDefinition } from "./catalog.js";

/** Every built-in op, by name. All of them work with nothing outside the machine. */
export const catalog: ReadonlyMap<string, OpDefinition> = new Map(
  ([range, list, sleep] as OpDefinition[]).map((op) => [op.name, op]),
);

/** The catalog as plain data (JSON Schema for each op's params), for the editor's palette and forms. */
export interface OpDescription {
  name: string;
  kind: "source" | "stage";
  category: OpDefinition["category"];
  execution: OpDefinition["execution"];
  description: string;
  paramsSchema: Record<string, unknown>;
  defaults: Record<string, unknown>;
}

export function describeCatalog(): OpDescription[] {
  return [...catalog.values()].map((op) => ({
    name: op.name,
    kind: op.kind,
    category: op.category,
    execution: op.execution,
    description: op.description,
    paramsSchema: z.toJSONSchema(op.params, { io: "input", unrepresentable: "any" }) as Record<string, unknown>,
    defaults: op.params.parse({}) as Record<string, unknown>,
  }));
}
