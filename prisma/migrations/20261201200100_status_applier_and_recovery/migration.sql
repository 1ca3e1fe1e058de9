-- Step timeouts and attempts (lib/plans/step-timeouts.ts, retry-step.ts).
ALTER TABLE "Plan" ADD COLUMN "stepTimeouts" JSONB NOT NULL DEFAULT '{}';
ALTER TABLE "PlanStep" ADD COLUMN "attempt" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "PlanStep" ADD COLUMN "timeoutAt" TIMESTAMP(3);

-- Dashboard instances running the job worker, and their heartbeats (lib/server/jobs/worker-liveness.ts).
CREATE TABLE "WorkerInstance" (
    "id" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "hostname" TEXT NOT NULL,
    "workerIds" TEXT[],
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "beatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "WorkerInstance_pkey" PRIMARY KEY ("id")
);

-- The state machines of lib/plans/transition-plan.ts and transition-step.ts, as rows. A DB test
-- (lib/server/plans/apply-status.db.test.ts) fails when these differ from the TypeScript tables.
CREATE TABLE "StatusTransition" (
    "machine" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "from" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    CONSTRAINT "StatusTransition_pkey" PRIMARY KEY ("machine", "mode", "from", "event")
);

INSERT INTO "StatusTransition" ("machine", "mode", "from", "event", "to") VALUES
  ('plan', '', 'draft', 'approve', 'approved'),
  ('plan', '', 'draft', 'abort', 'aborted'),
  ('plan', '', 'approved', 'start', 'running'),
  ('plan', '', 'approved', 'abort', 'aborted'),
  ('plan', '', 'approved', 'begin_rollback', 'rolling_back'),
  ('plan', '', 'running', 'pause', 'paused'),
  ('plan', '', 'running', 'complete', 'completed'),
  ('plan', '', 'running', 'abort', 'aborted'),
  ('plan', '', 'running', 'begin_rollback', 'rolling_back'),
  ('plan', '', 'paused', 'resume', 'running'),
  ('plan', '', 'paused', 'abort', 'aborted'),
  ('plan', '', 'paused', 'begin_rollback', 'rolling_back'),
  ('plan', '', 'rolling_back', 'roll_back', 'rolled_back'),
  ('plan', '', 'rolling_back', 'rollback_failed', 'paused'),
  ('step', 'prepare', 'pending', 'begin', 'running'),
  ('step', 'prepare', 'pending', 'skip', 'skipped'),
  ('step', 'prepare', 'running', 'succeed', 'succeeded'),
  ('step', 'prepare', 'running', 'fail', 'failed'),
  ('step', 'prepare', 'running', 'hand_back', 'pending'),
  ('step', 'prepare', 'failed', 'retry', 'running'),
  ('step', 'activate', 'pending', 'step_ready', 'awaiting_activation'),
  ('step', 'activate', 'pending', 'skip', 'skipped'),
  ('step', 'activate', 'awaiting_activation', 'activate', 'running'),
  ('step', 'activate', 'awaiting_activation', 'skip', 'skipped'),
  ('step', 'activate', 'running', 'succeed', 'succeeded'),
  ('step', 'activate', 'running', 'fail', 'failed'),
  ('step', 'activate', 'running', 'hand_back', 'awaiting_activation'),
  ('step', 'activate', 'failed', 'retry', 'running');

-- The database refuses any status write the tables do not allow, whoever sends it: the applier
-- (lib/server/plans/apply-status.ts) is the one way the application changes a status, and this is
-- the guard that makes "one way" true even for code that forgets.
CREATE FUNCTION "rollbook_check_plan_status"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW."status"::text <> 'draft' THEN
      RAISE EXCEPTION 'a plan starts as draft, not %', NEW."status" USING ERRCODE = 'check_violation';
    END IF;
  ELSIF NEW."status" IS DISTINCT FROM OLD."status" AND NOT EXISTS (
    SELECT 1 FROM "StatusTransition" t
    WHERE t."machine" = 'plan' AND t."from" = OLD."status"::text AND t."to" = NEW."status"::text
  ) THEN
    RAISE EXCEPTION 'illegal plan status change % -> % (plan %)', OLD."status", NEW."status", OLD."id" USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "Plan_status_transition" BEFORE INSERT OR UPDATE OF "status" ON "Plan"
  FOR EACH ROW EXECUTE FUNCTION "rollbook_check_plan_status"();

-- A step of a finished plan may still record how an operation that was in flight ended
-- (running -> succeeded / failed) and be skipped; nothing else moves it (no hand-back, no start).
CREATE FUNCTION "rollbook_check_step_status"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  plan_status text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW."status"::text <> 'pending' THEN
      RAISE EXCEPTION 'a plan step starts as pending, not %', NEW."status" USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW."status" IS NOT DISTINCT FROM OLD."status" THEN
    RETURN NEW;
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM "StatusTransition" t
    WHERE t."machine" = 'step' AND t."mode" = OLD."mode"::text AND t."from" = OLD."status"::text AND t."to" = NEW."status"::text
  ) THEN
    RAISE EXCEPTION 'illegal % step status change % -> % (step %)', OLD."mode", OLD."status", NEW."status", OLD."id" USING ERRCODE = 'check_violation';
  END IF;
  SELECT p."status"::text INTO plan_status FROM "Plan" p WHERE p."id" = OLD."planId";
  IF plan_status IN ('completed', 'rolled_back', 'aborted')
     AND NOT (OLD."status"::text = 'running' AND NEW."status"::text IN ('succeeded', 'failed'))
     AND NEW."status"::text <> 'skipped' THEN
    RAISE EXCEPTION 'the plan of step % is %; its step cannot move % -> %', OLD."id", plan_status, OLD."status", NEW."status" USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "PlanStep_status_transition" BEFORE INSERT OR UPDATE OF "status" ON "PlanStep"
  FOR EACH ROW EXECUTE FUNCTION "rollbook_check_step_status"();
