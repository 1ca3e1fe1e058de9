-- A rollback is a phase of its own: nothing widens or resumes while a restore puts nodes back.
-- Its own migration: a new enum value cannot be used in the transaction that adds it.
ALTER TYPE "PlanStatus" ADD VALUE 'rolling_back' AFTER 'paused';
