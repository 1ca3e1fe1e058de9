import { z } from "zod";
import { lockSchema } from "./lock-schema";

/**
 * A rollback target recorded before an upgrade: the tree to reinstall and, optionally, the
 * load-balancer weight the node had, so a rollback can put traffic back where it was.
 */
export const bookmarkSchema = lockSchema.extend({
  weight: z.int().min(0).max(100).optional(),
});

export type Bookmark = z.infer<typeof bookmarkSchema>;
