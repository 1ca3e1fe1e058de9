import { z } from "zod";
import { lockSchema } from "@/lib/protocol";

/**
 * One node's state in a rollback bookmark, as stored in Postgres (Bookmark.nodes) and read back
 * before a restore. Parsed on the way out too: a bookmark is only as good as what it can restore.
 */
export const bookmarkEntrySchema = z.object({
  nodeId: z.string(),
  name: z.string(),
  weight: z.int().min(0).max(100),
  drained: z.boolean(),
  lock: lockSchema,
  lockfileSha256: z.string().nullable(),
  probeSha256: z.string(),
});

export type BookmarkEntry = z.infer<typeof bookmarkEntrySchema>;

export const bookmarkEntriesSchema = z.array(bookmarkEntrySchema);
