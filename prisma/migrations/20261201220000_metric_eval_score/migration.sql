-- The node's capability score per scrape (the agent's rollbook_capability_score, 0..1): the eval
-- score a canary judge compares between canary and stable nodes. Null when the agent reports none.
ALTER TABLE "MetricSample" ADD COLUMN "evalScore" DOUBLE PRECISION;
