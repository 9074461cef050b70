import { z } from "zod";
import { integerAtLeast } from "./fields.js";

/** Params of the node kinds that are not catalog ops. */
export const aggregateParamsSchema = z.strictObject({
  size: integerAtLeast(1).default(8),
  dropLast: z.boolean({ error: "must be true or false" }).default(false),
});

export const noParamsSchema = z.strictObject({});
