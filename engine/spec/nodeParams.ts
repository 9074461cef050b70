import { z } from "zod";
import { SIZE_BOUNDS } from "../bounds.js";
import { integerWithin } from "./fields.js";

/** Params of the node kinds that are not catalog ops. */
export const aggregateParamsSchema = z.strictObject({
  size: integerWithin(SIZE_BOUNDS.aggregateSize).default(8),
  dropLast: z.boolean({ error: "must be true or false" }).default(false),
});

export const noParamsSchema = z.strictObject({});
