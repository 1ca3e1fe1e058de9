import type { PlanDetail } from "@/lib/plans/plan-detail-view";
import { StatusBadge } from "@/components/ui/status-badge";

const TIME = new Intl.DateTimeFormat("en-GB", { timeStyle: "medium", timeZone: "UTC" });

export function BookmarkList({
  bookmarks,
  canRestore,
  onRestore,
}: {
  bookmarks: PlanDetail["bookmarks"];
  canRestore: boolean;
  onRestore: (bookmarkId: string) => void;
}) {
  return (
    <section aria-labelledby="bookmarks-heading" className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <h2 id="bookmarks-heading" className="mb-2 font-semibold">
        Rollback bookmarks
      </h2>
      {bookmarks.length === 0 ? (
        <p className="text-sm text-slate-500">None yet: the first is captured when the plan starts.</p>
      ) : (
        <ol aria-label="Bookmarks" className="divide-y divide-slate-100">
          {bookmarks.map((bookmark) => (
            <li key={bookmark.id} aria-label={bookmark.label} className="flex flex-wrap items-center gap-3 py-2 text-sm">
              <time dateTime={bookmark.capturedAt} className="font-mono text-xs text-slate-500">
                {TIME.format(new Date(bookmark.capturedAt))}
              </time>
              <span className="font-medium">{bookmark.label}</span>
              <span className="text-xs text-slate-500">
                {bookmark.scope === "plan"
                  ? `${bookmark.nodes.length} nodes`
                  : bookmark.nodes.map((node) => `${node.name} ${node.core} w${node.weight}`).join(", ")}
              </span>
              {bookmark.restores.map((restore) => (
                <span key={restore.id} className="text-xs">
                  <StatusBadge status={restore.status === "running" ? "running" : restore.status} /> restore{" "}
                  {restore.automatic ? "by guardrails" : `by ${restore.actor ?? "?"}`}
                </span>
              ))}
              <button
                type="button"
                disabled={!canRestore}
                onClick={() => onRestore(bookmark.id)}
                className="ml-auto rounded-md border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-50 disabled:opacity-40"
              >
                Restore
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
