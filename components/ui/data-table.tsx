import type { ReactNode } from "react";

export type DataTableColumn = { label: ReactNode; key: string; align?: "left" | "right" };

/**
 * The dashboard's table frame: card, header row, striped body. Rows are the caller's `<tr>`s, so
 * each table keeps control of its cells (links, badges, forms) while every table looks alike.
 * `label` names the table for assistive tech and tests; `caption` is read but not shown.
 */
export function DataTable(props: {
  columns: readonly (string | DataTableColumn)[];
  label?: string;
  caption?: string;
  children: ReactNode;
}) {
  return (
    <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <table aria-label={props.label} className="min-w-full divide-y divide-slate-200 text-sm">
        {props.caption && <caption className="sr-only">{props.caption}</caption>}
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            {props.columns.map((column) => {
              const { label, key, align } = typeof column === "string" ? { label: column, key: column, align: "left" } : column;
              return (
                <th key={key} scope="col" className={align === "right" ? "px-4 py-3 text-right" : "px-4 py-3"}>
                  {label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{props.children}</tbody>
      </table>
    </div>
  );
}
