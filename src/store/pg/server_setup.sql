-- FrontDesk on a PostgreSQL server: roles and rights. A DBA runs this file as a superuser,
-- connected to FrontDesk's database (`psql -d frontdesk -f server_setup.sql`; FrontDesk can also
-- send it as one batch: it uses no psql variables or commands). It is idempotent.
--
-- Roles (fixed names, created when missing, without passwords — set them with psql's
-- `\password frontdesk_owner` and `\password frontdesk_desk`):
-- * frontdesk_owner: owns every table, sequence and function of the schema; FrontDesk connects
--   as it to create and upgrade the schema (the migrations).
-- * frontdesk_desk: the login the desks use. It reads and writes the business tables, but may
--   only read and add rows of `audit`, `seal_chain` and `seal_log` (no UPDATE, DELETE or
--   TRUNCATE, so those records cannot be rewritten even by hand with the desks' password), only
--   read `frontdesk_meta`, and may not create, alter or drop anything (it may create TEMPORARY
--   tables: FrontDesk's connection needs its own `changed_rows` for the seals).
--
-- Order:
-- 1. Once: CREATE DATABASE frontdesk ENCODING 'UTF8' LOCALE 'C.UTF-8' TEMPLATE template0;
--    (any UTF-8 locale works: FrontDesk's text columns compare with the "C" collation anyway,
--    but the search index (pg_trgm) needs a UTF-8 character type to index Chinese characters,
--    which a plain 'C' locale does not give).
-- 2. Run this file: it creates the roles, the pg_trgm extension and the owner's right to create
--    tables. There are no tables to grant yet.
-- 3. Run FrontDesk's schema steps as frontdesk_owner (`frontdesk init` with the owner's URL).
-- 4. Run this file again: it grants the desks their rights on the tables that now exist.
-- Repeat 3 and 4 after every upgrade of FrontDesk. Rights are granted table by table, not with
-- ALTER DEFAULT PRIVILEGES, on purpose: default privileges cannot leave out the append-only
-- tables, so a table added by an upgrade stays closed to the desks until this file grants it.
-- Objects created by another role (the schema steps run as the DBA) are given to
-- frontdesk_owner here.

DO $setup$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frontdesk_owner') THEN
        CREATE ROLE frontdesk_owner LOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'frontdesk_desk') THEN
        CREATE ROLE frontdesk_desk LOGIN;
    END IF;
    IF (SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database())
        <> 'UTF8'
    THEN
        RAISE EXCEPTION 'database % is not UTF8: create it with ENCODING ''UTF8''', current_database();
    END IF;
    IF (SELECT datctype FROM pg_database WHERE datname = current_database()) IN ('C', 'POSIX') THEN
        RAISE WARNING 'database % has LC_CTYPE C: the customer search cannot index Chinese characters; create it with a UTF-8 locale such as C.UTF-8', current_database();
    END IF;
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO frontdesk_owner, frontdesk_desk',
                   current_database());
END
$setup$;

-- The customer search's trigram index (schema step 5). Created here by the DBA, so the owner
-- needs no right to create extensions; the step's CREATE EXTENSION IF NOT EXISTS then does
-- nothing.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Only the owner creates objects in the schema (PostgreSQL before 15 let everyone).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO frontdesk_owner;
GRANT USAGE ON SCHEMA public TO frontdesk_desk;

-- Everything FrontDesk's schema steps created belongs to frontdesk_owner, whoever ran them.
-- Objects of extensions (pg_trgm's functions) are left alone; sequences of identity columns and
-- indexes follow their table.
DO $owner$
DECLARE
    object RECORD;
BEGIN
    FOR object IN
        SELECT c.oid::regclass AS name FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
          AND pg_get_userbyid(c.relowner) <> 'frontdesk_owner'
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = c.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('ALTER TABLE %s OWNER TO frontdesk_owner', object.name);
    END LOOP;
    FOR object IN
        SELECT c.oid::regclass AS name FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'S'
          AND pg_get_userbyid(c.relowner) <> 'frontdesk_owner'
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = c.oid AND d.deptype IN ('e', 'i', 'a'))
    LOOP
        EXECUTE format('ALTER SEQUENCE %s OWNER TO frontdesk_owner', object.name);
    END LOOP;
    FOR object IN
        SELECT p.oid::regprocedure AS name FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace
          AND pg_get_userbyid(p.proowner) <> 'frontdesk_owner'
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                          AND d.objid = p.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO frontdesk_owner', object.name);
    END LOOP;
END
$owner$;

-- The desks' rights, set afresh each run: first nothing, then what they need.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM frontdesk_desk;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM frontdesk_desk;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO frontdesk_desk;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO frontdesk_desk;
DO $append_only$
DECLARE
    name TEXT;
BEGIN
    -- Append-only records: read and add only. (The other append-only tables — visit_log,
    -- complaint_events, claim_events — are guarded by their triggers; the purge may empty a
    -- correction's detail in visit_log, see schema step 1.)
    FOREACH name IN ARRAY ARRAY['audit', 'seal_chain', 'seal_log'] LOOP
        IF to_regclass('public.' || name) IS NOT NULL THEN
            EXECUTE format('REVOKE UPDATE, DELETE ON public.%I FROM frontdesk_desk', name);
        END IF;
    END LOOP;
    -- The version marker is written by the schema steps only.
    IF to_regclass('public.frontdesk_meta') IS NOT NULL THEN
        REVOKE INSERT, UPDATE, DELETE ON public.frontdesk_meta FROM frontdesk_desk;
    END IF;
END
$append_only$;
