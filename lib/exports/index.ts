// Incident-review exports: pure streaming functions over audit events (no database, no HTTP).
// The route handler reads events in batches and returns toReadableStream(exportEvents…(events)).
export { exportEventsCsv, CSV_COLUMNS, type CsvExportOptions } from "./export-events-csv";
export { exportEventsJson, type JsonExportOptions } from "./export-events-json";
export { exportPostmortemMarkdown, type PostmortemInput, type PostmortemPlan } from "./export-postmortem-markdown";
export { verifyIncidentBundle, type IncidentBundleProblem, type IncidentBundleVerification } from "./verify-incident-bundle";
export {
  incidentBundleSchema,
  incidentBundleScopeSchema,
  INCIDENT_BUNDLE_FORMAT,
  CHAIN_ALGORITHM,
  type IncidentBundle,
  type IncidentBundleChain,
  type IncidentBundleScope,
} from "./incident-bundle-schema";
export { toIncidentPlanSummary, type IncidentPlanSummary } from "./incident-plan-summary";
export { describeEvent, type DescribableEvent } from "./describe-event";
export { collectIncidentFacts, type IncidentFacts } from "./collect-incident-facts";
export { neutraliseCsvCell } from "./neutralise-csv-cell";
export { toReadableStream } from "./to-readable-stream";
export type { AuditEventSource } from "./audit-event-source";
