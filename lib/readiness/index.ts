// Public surface of the Doctor readiness and metric-chart logic: pure, no database, no HTTP.
// The collector job and pages in lib/server/ and app/ feed it what they fetched and stored.
export {
  mergeNodeReadiness,
  type DashboardReasonCode,
  type NodeReadiness,
  type NodeReadinessInput,
  type PeerProbeMajority,
  type ReadinessColor,
  type ReadinessLabel,
} from "./merge-node-readiness";
export {
  fleetConsensus,
  type ConsensusNode,
  type DivergentPart,
  type PartDifference,
  type ProbeDisagreement,
  type ReleaseConsensus,
} from "./fleet-consensus";
export { downsampleSeries, type SeriesPoint } from "./downsample-series";
export { bucketByInterval, type BucketAggregate } from "./bucket-by-interval";
export {
  compareCohorts,
  type CohortVerdict,
  type CohortVerdictKind,
  type CompareCohortsInput,
  type MetricDirection,
} from "./compare-cohorts";
export { projectThresholdCrossing, type ProjectThresholdCrossingInput, type ThresholdProjection } from "./project-threshold-crossing";
export { formatApproxDuration } from "./format-approx-duration";
