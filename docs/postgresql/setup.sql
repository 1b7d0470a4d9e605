-- Refund Desk: a team database on PostgreSQL 15+ (docs/TEAM.md). Step 1 of 3.
--
-- Creates the roles and the database. Run once, as a superuser (or a role with CREATEROLE and
-- CREATEDB), with psql:
--
--   psql -h HOST -U postgres -d postgres -f docs/postgresql/setup.sql \
--        -v owner=refund_desk_owner -v desk=refund_desk_desk -v dbname=refund_desk
--
-- (the three -v are optional: those are the defaults). Then:
--   2. as the owner, create the schema:  refund-desk migrate --db postgresql+psycopg://refund_desk_owner@HOST/refund_desk
--   3. as the owner, grant the desks:    psql -h HOST -U refund_desk_owner -d refund_desk -f docs/postgresql/grants.sql
--
-- Roles:
--   owner  owns the database and its tables; runs the migrations (`refund-desk migrate`) and
--          grants.sql after each desk upgrade. Never used by a desk.
--   desk   a group role for the operators' desks: reads and writes orders and cases, appends
--          to the audit log (never changes or removes an entry), cannot change the schema.
--          Each operator logs in as a role of their own, a member of it:
--            CREATE ROLE ana LOGIN IN ROLE refund_desk_desk;  \password ana
--
-- Passwords are set with \password (never written into this file or the desk's settings).

\set ON_ERROR_STOP on
\if :{?owner}
\else
  \set owner refund_desk_owner
\endif
\if :{?desk}
\else
  \set desk refund_desk_desk
\endif
\if :{?dbname}
\else
  \set dbname refund_desk
\endif

CREATE ROLE :"owner" LOGIN;
CREATE ROLE :"desk" NOLOGIN;

-- UTF-8 for Chinese account names; the id columns carry their own binary collation ("C"), so
-- the database's default collation may be any.
CREATE DATABASE :"dbname" OWNER :"owner" ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE :"dbname" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"dbname" TO :"desk";

\connect :"dbname"
-- The desk's tables live in "public", owned by the owner. Nobody else creates anything there.
ALTER SCHEMA public OWNER TO :"owner";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"desk";
