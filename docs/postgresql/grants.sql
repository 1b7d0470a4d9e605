-- Refund Desk: a team database on PostgreSQL 15+ (docs/TEAM.md). Step 3 of 3.
--
-- What the desks' role may do, table by table. Run as the owner after `refund-desk migrate`
-- (the first time and after every desk upgrade that changed the schema); running it again
-- changes nothing:
--
--   psql -h HOST -U refund_desk_owner -d refund_desk -f docs/postgresql/grants.sql -v desk=refund_desk_desk
--
-- The audit log is append-only for the desks: they may add and read entries, never change,
-- delete or truncate them (privileges revoked here), and a trigger refuses UPDATE, DELETE and
-- TRUNCATE for every role, the owner included (created by the desk's first migration, asserted
-- again below).

\set ON_ERROR_STOP on
\if :{?desk}
\else
  \set desk refund_desk_desk
\endif

BEGIN;

GRANT USAGE ON SCHEMA public TO :"desk";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"desk";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"desk";

-- Append-only: the audit log.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM :"desk";
-- The schema revision is the owner's: a desk reads it, never writes it.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM :"desk";

CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE OR REPLACE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE OR REPLACE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE OR REPLACE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_update;
ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_delete;
ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_truncate;

COMMIT;
