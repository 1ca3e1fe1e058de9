export type FilterOption = string | { value: string; label: string };

/**
 * A labelled drop-down filter whose first, empty choice means "no filter" ("All roles"). Reports
 * undefined for that choice, so callers can drop the key from their filter.
 */
export function FilterSelect(props: {
  label: string;
  allLabel: string;
  value: string | undefined;
  options: readonly FilterOption[];
  onChange: (value: string | undefined) => void;
}) {
  return (
    <label className="flex flex-col text-xs font-medium text-slate-600">
      {props.label}
      <select
        value={props.value ?? ""}
        className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
        onChange={(event) => props.onChange(event.target.value || undefined)}
      >
        <option value="">{props.allLabel}</option>
        {props.options.map((option) => {
          const { value, label } = typeof option === "string" ? { value: option, label: option } : option;
          return (
            <option key={value} value={value}>
              {label}
            </option>
          );
        })}
      </select>
    </label>
  );
}
