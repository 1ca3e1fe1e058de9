import type { ReactNode } from "react";
import type { ReleaseManifestDiff, VersionChange } from "@/lib/releases";

function Version({ change }: { change: VersionChange }) {
  return (
    <span className="font-mono text-xs">
      {change.from} → {change.to}{" "}
      <span className={change.direction === "downgrade" ? "text-rose-700" : change.bump === "major" ? "text-amber-700" : "text-slate-500"}>
        ({change.direction === "downgrade" ? "downgrade" : change.bump})
      </span>
    </span>
  );
}

function Section({ title, children, empty }: { title: string; children: ReactNode; empty: boolean }) {
  return (
    <div className="border-t border-slate-100 py-2 first:border-0">
      <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h3>
      {empty ? <p className="text-sm text-slate-400">unchanged</p> : <ul className="mt-1 space-y-0.5 text-sm">{children}</ul>}
    </div>
  );
}

/** A release's changes against the release it replaces, section by section. */
export function ReleaseDiffView({ diff }: { diff: ReleaseManifestDiff }) {
  const { plugins, prompts, tools } = diff;
  return (
    <div aria-label="Release diff">
      <Section title="Core" empty={!diff.core}>
        {diff.core && (
          <li>
            <Version change={diff.core} />
          </li>
        )}
      </Section>
      <Section title="Plugins" empty={plugins.added.length + plugins.removed.length + plugins.changed.length === 0}>
        {plugins.added.map((plugin) => (
          <li key={`a-${plugin.name}`} className="text-emerald-800">
            + {plugin.name} {plugin.version}
          </li>
        ))}
        {plugins.removed.map((plugin) => (
          <li key={`r-${plugin.name}`} className="text-rose-800">
            − {plugin.name} {plugin.version}
          </li>
        ))}
        {plugins.changed.map((plugin) => (
          <li key={`c-${plugin.name}`}>
            {plugin.name} <Version change={plugin} />
          </li>
        ))}
      </Section>
      <Section title="Model pin" empty={diff.model.length === 0}>
        {diff.model.map((change) => (
          <li key={change.slot}>
            {change.slot}:{" "}
            <span className="font-mono text-xs">
              {change.from ?? "none"} → {change.to ?? "none"}
            </span>
          </li>
        ))}
      </Section>
      <Section title="Prompts" empty={prompts.added.length + prompts.removed.length + prompts.changed.length === 0}>
        {prompts.added.map((prompt) => (
          <li key={`a-${prompt.id}`} className="text-emerald-800">
            + {prompt.id}
          </li>
        ))}
        {prompts.removed.map((prompt) => (
          <li key={`r-${prompt.id}`} className="text-rose-800">
            − {prompt.id}
          </li>
        ))}
        {prompts.changed.map((prompt) => (
          <li key={`c-${prompt.id}`}>
            {prompt.id}:{" "}
            <span className="font-mono text-xs">
              {prompt.from.slice(0, 10)}… → {prompt.to.slice(0, 10)}…
            </span>
          </li>
        ))}
      </Section>
      <Section title="Tools" empty={tools.added.length + tools.removed.length + tools.changed.length === 0}>
        {tools.added.map((tool) => (
          <li key={`a-${tool.name}`} className="text-emerald-800">
            + {tool.name} {tool.version}
          </li>
        ))}
        {tools.removed.map((tool) => (
          <li key={`r-${tool.name}`} className="text-rose-800">
            − {tool.name} {tool.version}
          </li>
        ))}
        {tools.changed.map((tool) => (
          <li key={`c-${tool.name}`}>
            {tool.name} {tool.version ? <Version change={tool.version} /> : null}{" "}
            {tool.schemaSha256 ? <span className="text-xs text-amber-700">schema changed</span> : null}
          </li>
        ))}
      </Section>
      <Section title="Memory schema" empty={!diff.memorySchema}>
        {diff.memorySchema && (
          <li>
            v{diff.memorySchema.from.version} → v{diff.memorySchema.to.version}
            {diff.memorySchema.to.migrationFrom !== null
              ? ` (migration from v${diff.memorySchema.to.migrationFrom}, ${diff.memorySchema.to.additive ? "additive" : "not additive"})`
              : ""}
          </li>
        )}
      </Section>
      <Section title="Configuration" empty={diff.config.length === 0}>
        {diff.config.map((change) => (
          <li key={change.path} className="font-mono text-xs">
            {change.path}:{" "}
            {change.kind === "added"
              ? `+ ${String(change.after)}`
              : change.kind === "removed"
                ? `− ${String(change.before)}`
                : `${String(change.before)} → ${String(change.after)}`}
          </li>
        ))}
      </Section>
    </div>
  );
}
