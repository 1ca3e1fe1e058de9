-- The audit log is append-only in the database itself, not only by convention in the code: an
-- UPDATE or DELETE of any row is refused, and so is TRUNCATE. The one way through is for
-- disposable test databases: TRUNCATE is allowed when the transaction sets
-- rollbook.audit_maintenance to 'on' AND the database's name ends in _test, _e2e or _bench
-- (prisma/test/test-db.ts `truncateAllTables`). There is no production deletion path: retention is
-- "export, then keep" (docs/exports.md). A database owner can still ALTER TABLE … DISABLE TRIGGER;
-- signed checkpoints kept outside the table are what catch rows removed that way.
-- Prisma's wasm migration engine splits scripts on every semicolon, even inside quotes, so the
-- bodies' semicolons are written as the escape \073.
CREATE FUNCTION "reject_audit_event_change"() RETURNS trigger LANGUAGE plpgsql AS
  E'BEGIN RAISE EXCEPTION ''the audit log is append-only: % on "AuditEvent" is not allowed'', TG_OP USING HINT = ''Audit events are never edited or deleted, see docs/exports.md (Append-only audit log).''\073 END\073';

CREATE TRIGGER "AuditEvent_append_only"
  BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "reject_audit_event_change"();

CREATE FUNCTION "reject_audit_event_truncate"() RETURNS trigger LANGUAGE plpgsql AS
  E'BEGIN IF coalesce(current_setting(''rollbook.audit_maintenance'', true), '''') = ''on'' AND current_database() ~ ''_(test|e2e|bench)$'' THEN RETURN NULL\073 END IF\073 RAISE EXCEPTION ''the audit log is append-only: TRUNCATE on "AuditEvent" is not allowed'' USING HINT = ''Only a *_test, *_e2e or *_bench database may be emptied, in a transaction that sets rollbook.audit_maintenance to on.''\073 END\073';

CREATE TRIGGER "AuditEvent_no_truncate"
  BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "reject_audit_event_truncate"();
