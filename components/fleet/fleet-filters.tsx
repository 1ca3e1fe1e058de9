"use client";

import { FilterSelect } from "@/components/ui/filter-select";
import { NODE_ROLES, type FleetFilter } from "@/lib/fleet/node-registration";

const STATUS_OPTIONS = [
  { value: "green", label: "ready" },
  { value: "amber", label: "warning" },
  { value: "red", label: "failing" },
  { value: "grey", label: "stale / unreachable" },
];

export function FleetFilters({
  filter,
  regions,
  releases,
  onChange,
}: {
  filter: FleetFilter;
  regions: string[];
  releases: string[];
  onChange: (next: FleetFilter) => void;
}) {
  return (
    <form
      role="search"
      aria-label="Filter the fleet"
      className="flex flex-wrap items-end gap-3"
      onSubmit={(event) => event.preventDefault()}
    >
      <label className="flex flex-col text-xs font-medium text-slate-600">
        Name
        <input
          type="search"
          defaultValue={filter.q ?? ""}
          placeholder="gw-…"
          className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
          onChange={(event) => onChange({ ...filter, q: event.target.value || undefined })}
        />
      </label>
      <FilterSelect
        label="Role"
        allLabel="All roles"
        value={filter.role}
        options={NODE_ROLES}
        onChange={(role) => onChange({ ...filter, role: role as FleetFilter["role"] })}
      />
      <FilterSelect
        label="Region"
        allLabel="All regions"
        value={filter.region}
        options={regions}
        onChange={(region) => onChange({ ...filter, region })}
      />
      <FilterSelect
        label="Release"
        allLabel="All releases"
        value={filter.release}
        options={releases}
        onChange={(release) => onChange({ ...filter, release })}
      />
      <FilterSelect
        label="Status"
        allLabel="All statuses"
        value={filter.status}
        options={STATUS_OPTIONS}
        onChange={(status) => onChange({ ...filter, status: status as FleetFilter["status"] })}
      />
    </form>
  );
}
