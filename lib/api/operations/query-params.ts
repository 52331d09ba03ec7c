// Query-string parameters of the /api/v1 GETs, shared by every list: strict
// (a bad value is a 400 naming it), unlike the pages' URL schemas which fall
// back to defaults.
import { z } from "zod";

/** An optional query parameter: "" is absent. */
export const opt = <T extends z.ZodType>(s: T) => z.preprocess((v) => (v === "" ? undefined : v), s.optional());

/** dir, page and pageSize of a paged list, with their defaults (asc, 1, 50). */
export const paging = {
  dir: opt(z.enum(["asc", "desc"], "must be asc or desc")).transform((v) => v ?? "asc"),
  page: opt(z.coerce.number().int().min(1, "must be 1 or more").max(1_000_000)).transform((v) => v ?? 1),
  pageSize: opt(z.coerce.number().int().min(10, "must be 10 to 200").max(200, "must be 10 to 200")).transform((v) => v ?? 50),
};
