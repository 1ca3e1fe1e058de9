"use client";

import { NODE_ROLES, type FleetFilter } from "@/lib/fleet/node-registration";

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
  const selectClass = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
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
          className={selectClass}
          onChange={(event) => onChange({ ...filter, q: event.target.value || undefined })}
        />
      </label>
      <label className="flex flex-col text-xs font-medium text-slate-600">
        Role
        <select
          value={filter.role ?? ""}
          className={selectClass}
          onChange={(event) => onChange({ ...filter, role: (event.target.value || undefined) as FleetFilter["role"] })}
        >
          <option value="">All roles</option>
          {NODE_ROLES.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col text-xs font-medium text-slate-600">
        Region
        <select
          value={filter.region ?? ""}
          className={selectClass}
          onChange={(event) => onChange({ ...filter, region: event.target.value || undefined })}
        >
          <option value="">All regions</option>
          {regions.map((region) => (
            <option key={region} value={region}>
              {region}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col text-xs font-medium text-slate-600">
        Release
        <select
          value={filter.release ?? ""}
          className={selectClass}
          onChange={(event) => onChange({ ...filter, release: event.target.value || undefined })}
        >
          <option value="">All releases</option>
          {releases.map((release) => (
            <option key={release} value={release}>
              {release}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col text-xs font-medium text-slate-600">
        Status
        <select
          value={filter.status ?? ""}
          className={selectClass}
          onChange={(event) => onChange({ ...filter, status: (event.target.value || undefined) as FleetFilter["status"] })}
        >
          <option value="">All statuses</option>
          <option value="green">ready</option>
          <option value="amber">warning</option>
          <option value="red">failing</option>
          <option value="grey">stale / unreachable</option>
        </select>
      </label>
    </form>
  );
}
