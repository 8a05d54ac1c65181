//! The PostgreSQL schema (`store::pg`) against the SQLite one on a real server: every step
//! applies, the tables, columns, keys, indexes and default rows are the same as in a file made by
//! `Store::open`, the guards refuse with SQLite's messages, the seal triggers note changed rows
//! only in a session that asked for it, the customer search has a usable trigram index, and the
//! desks' role set up by `SERVER_SETUP` cannot rewrite the audit trail or change the schema.
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::pg::PgServer;
use frontdesk::store::{SCHEMA_VERSION, Store, pg};
use postgres::types::Type;
use postgres::{Client, NoTls};
use rusqlite::Connection;
use rusqlite::types::ValueRef;

/// The tables that the schema steps fill with default rows (settings: its keys only, as
/// `database_id` is random).
const DEFAULT_ROWS: &[&str] = &[
    "complaint_categories",
    "claim_causes",
    "inspection_templates",
    "inspection_template_items",
];

/// The append-only tables and a statement that adds a valid row to each (on both backends).
const APPEND_ONLY: &[(&str, &str)] = &[
    (
        "audit",
        "INSERT INTO audit (at, actor, action, entity, prev_hash, hash)
         VALUES ('2026-11-23 09:00:00', '李娜', 'create', 'visit', '', 'h')",
    ),
    (
        "seal_chain",
        "INSERT INTO seal_chain (id, rows, prev_hash, hash) VALUES (1000, 1, 'p', 'h')",
    ),
    (
        "seal_log",
        "INSERT INTO seal_log (entry, tbl, row_key, hash) VALUES (1000, 'staff', '1', NULL)",
    ),
    (
        "visit_log",
        "INSERT INTO visit_log (visit_id, at, action, detail)
         VALUES (1000, '2026-11-23 09:00:00', 'correct', '姓名: 王 → 汪')",
    ),
];

/// A visit for the visit log's foreign key.
const A_VISIT: &str = "INSERT INTO visits (id, arrived_at) VALUES (1000, '2026-11-23 09:00:00')";

fn connect(url: &str) -> Client {
    Client::connect(url, NoTls).unwrap()
}

/// The same URL, as another user (the test server trusts every local login).
fn as_user(url: &str, user: &str) -> String {
    url.replacen("//frontdesk@", &format!("//{user}@"), 1)
}

/// Applies every schema step, each in its own transaction.
fn migrate(client: &mut Client) {
    for (i, step) in pg::MIGRATIONS.iter().enumerate() {
        let mut tx = client.transaction().unwrap();
        tx.batch_execute(step)
            .unwrap_or_else(|e| panic!("step {}: {e:?}", i + 1));
        tx.commit().unwrap();
    }
}

/// A fresh database on `server` with the whole schema; its URL and an admin connection.
fn migrated(server: &PgServer, name: &str) -> (String, Client) {
    let url = server.create_database(name);
    let mut client = connect(&url);
    migrate(&mut client);
    (url, client)
}

/// A fresh SQLite file made by `Store::open`, opened again as a plain connection.
fn sqlite_database() -> (tempfile::TempDir, Connection) {
    let (dir, path) = common::temp_db();
    drop(Store::open(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    (dir, conn)
}

fn meta(client: &mut Client, key: &str) -> String {
    client
        .query_one("SELECT value FROM frontdesk_meta WHERE key = $1", &[&key])
        .unwrap()
        .get(0)
}

/// A value as text, for comparing rows across backends.
fn pg_text(row: &postgres::Row, i: usize) -> String {
    let ty = row.columns()[i].type_();
    let text = if *ty == Type::INT8 {
        row.get::<_, Option<i64>>(i).map(|v| v.to_string())
    } else if *ty == Type::TEXT {
        row.get::<_, Option<String>>(i)
    } else {
        panic!("unexpected column type {ty}")
    };
    text.unwrap_or_else(|| "NULL".to_owned())
}

fn sqlite_text(v: ValueRef<'_>) -> String {
    match v {
        ValueRef::Null => "NULL".to_owned(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Text(t) => String::from_utf8(t.to_vec()).unwrap(),
        other => panic!("unexpected value {other:?}"),
    }
}

fn sqlite_rows(conn: &Connection, sql: &str) -> Vec<Vec<String>> {
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| {
        Ok((0..n).map(|i| sqlite_text(r.get_ref(i).unwrap())).collect())
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

fn pg_rows(client: &mut Client, sql: &str) -> Vec<Vec<String>> {
    client
        .query(sql, &[])
        .unwrap()
        .iter()
        .map(|r| (0..r.len()).map(|i| pg_text(r, i)).collect())
        .collect()
}

/// A column as both backends describe it: name, kind, NOT NULL, default (normalised).
#[derive(Debug, PartialEq, Eq)]
struct Column {
    name: String,
    kind: &'static str,
    not_null: bool,
    default: Option<String>,
}

fn sqlite_tables(conn: &Connection) -> Vec<String> {
    sqlite_rows(
        conn,
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
           ORDER BY name",
    )
    .into_iter()
    .map(|r| r[0].clone())
    // The FTS tables' own storage (`visit_search_data`, …) has no counterpart on a server.
    .filter(|name| {
        !SEARCH_TABLES
            .iter()
            .any(|t| name.strip_prefix(t).is_some_and(|rest| rest.starts_with('_')))
    })
    .collect()
}

fn sqlite_columns(conn: &Connection, table: &str) -> (Vec<Column>, BTreeSet<String>) {
    let mut stmt = conn
        .prepare(&format!("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('{table}') ORDER BY cid"))
        .unwrap();
    let mut key = BTreeSet::new();
    let columns = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })
        .unwrap()
        .map(|c| {
            let (name, declared, not_null, default, pk) = c.unwrap();
            if pk > 0 {
                key.insert(name.clone());
            }
            let kind = match declared.as_str() {
                "INTEGER" => "integer",
                "TEXT" | "" => "text",
                "BLOB" => "bytes",
                "REAL" => "real",
                other => panic!("{table}.{name}: type {other}"),
            };
            Column {
                name,
                kind,
                // Key columns are NOT NULL on the server; compared with the key instead.
                not_null: not_null || pk > 0,
                default,
            }
        })
        .collect();
    (columns, key)
}

fn pg_columns(client: &mut Client, table: &str) -> (Vec<Column>, BTreeSet<String>) {
    let columns = client
        .query(
            "SELECT column_name::text, data_type::text, is_nullable = 'NO', column_default::text
             FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1
             ORDER BY ordinal_position",
            &[&table],
        )
        .unwrap()
        .iter()
        .map(|r| {
            let name: String = r.get(0);
            let kind = match r.get::<_, String>(1).as_str() {
                "bigint" => "integer",
                "text" => "text",
                "bytea" => "bytes",
                "double precision" => "real",
                other => panic!("{table}.{name}: type {other}"),
            };
            let default = r
                .get::<_, Option<String>>(3)
                .map(|d| d.trim_end_matches("::text").to_owned());
            Column {
                name,
                kind,
                not_null: r.get(2),
                default,
            }
        })
        .collect();
    let key = client
        .query(
            "SELECT a.attname::text FROM pg_index i
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
             WHERE i.indrelid = ('public.' || $1)::regclass AND i.indisprimary",
            &[&table],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    (columns, key)
}

/// Foreign keys of a table as (column, table referred to, its column).
fn sqlite_foreign_keys(conn: &Connection, table: &str) -> BTreeSet<Vec<String>> {
    sqlite_rows(
        conn,
        &format!("SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list('{table}')"),
    )
    .into_iter()
    .collect()
}

fn pg_foreign_keys(client: &mut Client, table: &str) -> BTreeSet<Vec<String>> {
    pg_rows(
        client,
        &format!(
            "SELECT a.attname::text, c.confrelid::regclass::text, b.attname::text
             FROM pg_constraint c
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
             JOIN pg_attribute b ON b.attrelid = c.confrelid AND b.attnum = c.confkey[1]
             WHERE c.conrelid = 'public.{table}'::regclass AND c.contype = 'f'"
        ),
    )
    .into_iter()
    .collect()
}

/// Columns of the table's UNIQUE constraints (not the primary key), comma-separated.
fn sqlite_unique(conn: &Connection, table: &str) -> BTreeSet<String> {
    sqlite_rows(
        conn,
        &format!(
            "SELECT (SELECT group_concat(name, ',') FROM pragma_index_info(l.name))
             FROM pragma_index_list('{table}') l WHERE l.origin = 'u'"
        ),
    )
    .into_iter()
    .map(|r| r[0].clone())
    .collect()
}

fn pg_unique(client: &mut Client, table: &str) -> BTreeSet<String> {
    pg_rows(
        client,
        &format!(
            "SELECT (SELECT string_agg(a.attname::text, ',' ORDER BY k.n) FROM unnest(c.conkey)
                     WITH ORDINALITY AS k (attnum, n)
                     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum)
             FROM pg_constraint c WHERE c.conrelid = 'public.{table}'::regclass AND c.contype = 'u'"
        ),
    )
    .into_iter()
    .map(|r| r[0].clone())
    .collect()
}

/// The database's own indexes (not those of keys and UNIQUE constraints): name → (table,
/// whether it is partial).
fn sqlite_indexes(conn: &Connection) -> BTreeMap<String, (String, bool)> {
    sqlite_rows(
        conn,
        "SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL",
    )
    .into_iter()
    .map(|r| (r[0].clone(), (r[1].clone(), r[2].contains(" WHERE "))))
    .collect()
}

fn pg_indexes(client: &mut Client) -> BTreeMap<String, (String, bool)> {
    pg_rows(
        client,
        "SELECT i.indexrelid::regclass::text, i.indrelid::regclass::text,
                CASE WHEN i.indpred IS NULL THEN 'full' ELSE 'partial' END
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
         WHERE t.relnamespace = 'public'::regnamespace
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
    )
    .into_iter()
    .map(|r| (r[0].clone(), (r[1].clone(), r[2] == "partial")))
    .collect()
}

/// The message of a refused statement on SQLite.
fn sqlite_refusal(conn: &Connection, sql: &str) -> String {
    match conn.execute_batch(sql) {
        Err(rusqlite::Error::SqliteFailure(_, Some(message))) => message,
        other => panic!("{sql}: expected a refusal, got {other:?}"),
    }
}

/// The error of a refused statement on PostgreSQL (run in a transaction that is rolled back).
fn pg_refusal(client: &mut Client, sql: &str) -> postgres::error::DbError {
    let mut tx = client.transaction().unwrap();
    let e = tx
        .batch_execute(sql)
        .expect_err(&format!("{sql}: expected a refusal"));
    e.as_db_error()
        .unwrap_or_else(|| panic!("{sql}: {e:?}"))
        .clone()
}

#[test]
fn every_step_applies_in_its_own_transaction_and_marks_the_version() {
    let Some(server) = PgServer::start() else {
        return;
    };
    let url = server.create_database("steps");
    let mut client = connect(&url);
    for (i, step) in pg::MIGRATIONS.iter().enumerate() {
        let mut tx = client.transaction().unwrap();
        tx.batch_execute(step)
            .unwrap_or_else(|e| panic!("step {}: {e:?}", i + 1));
        tx.commit().unwrap();
        assert_eq!(meta(&mut client, "schema_version"), (i + 1).to_string());
    }
    assert_eq!(meta(&mut client, "application_id"), "FDK1");
    assert_eq!(
        meta(&mut client, "schema_version"),
        SCHEMA_VERSION.to_string()
    );
    let database_id = pg_rows(
        &mut client,
        "SELECT value FROM settings WHERE key = 'database_id'",
    );
    assert_eq!(database_id.len(), 1);
    let id = &database_id[0][0];
    assert!(
        id.len() == 32 && id.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')),
        "database_id {id} is not 32 lower-case hex digits, as on SQLite"
    );
}

/// The text indexes: FTS5 tables in a file, tables with a trigram index on a server.
const SEARCH_TABLES: &[&str] = &[
    "customer_search",
    "visit_search",
    "call_search",
    "complaint_search",
];

#[test]
fn the_tables_columns_keys_indexes_and_default_rows_are_those_of_sqlite() {
    let (_dir, sqlite) = sqlite_database();
    let Some(server) = PgServer::start() else {
        return;
    };
    let (_url, mut client) = migrated(&server, "parity");

    let tables = sqlite_tables(&sqlite);
    assert!(tables.len() > 20, "{tables:?}");
    let mut expected: BTreeSet<String> = tables.iter().cloned().collect();
    expected.insert("frontdesk_meta".to_owned());
    let on_server: BTreeSet<String> = pg_rows(
        &mut client,
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    )
    .into_iter()
    .map(|r| r[0].clone())
    .collect();
    assert_eq!(on_server, expected);

    for table in &tables {
        let (mut columns, mut key) = sqlite_columns(&sqlite, table);
        if SEARCH_TABLES.contains(&table.as_str()) {
            // The FTS table's hidden rowid (the record's id) is a column of its own here.
            columns.insert(
                0,
                Column {
                    name: "rowid".to_owned(),
                    kind: "integer",
                    not_null: true,
                    default: None,
                },
            );
            key.insert("rowid".to_owned());
            // The FTS column says nothing about NULL; the server's column refuses it.
            columns[1].not_null = true;
        }
        // An INTEGER PRIMARY KEY has no default on SQLite; its identity is no default either.
        let (server_columns, server_key) = pg_columns(&mut client, table);
        assert_eq!(server_columns, columns, "columns of {table}");
        assert_eq!(server_key, key, "primary key of {table}");
        assert_eq!(
            pg_foreign_keys(&mut client, table),
            sqlite_foreign_keys(&sqlite, table),
            "foreign keys of {table}"
        );
        assert_eq!(
            pg_unique(&mut client, table),
            sqlite_unique(&sqlite, table),
            "unique constraints of {table}"
        );
    }

    // The same indexes, partial where SQLite's are; the server adds the search's trigram index
    // (SQLite's FTS table has its own).
    let mut indexes = pg_indexes(&mut client);
    for table in SEARCH_TABLES {
        assert_eq!(
            indexes.remove(&format!("{table}_phrase")),
            Some(((*table).to_owned(), false))
        );
    }
    assert_eq!(indexes, sqlite_indexes(&sqlite));

    // The guards: every trigger of the SQLite schema exists under the same name.
    let triggers: BTreeSet<String> = pg_rows(
        &mut client,
        "SELECT tgname::text FROM pg_trigger WHERE NOT tgisinternal",
    )
    .into_iter()
    .map(|r| r[0].clone())
    .collect();
    for r in sqlite_rows(
        &sqlite,
        "SELECT name FROM sqlite_schema WHERE type = 'trigger'",
    ) {
        assert!(triggers.contains(&r[0]), "trigger {} is missing", r[0]);
    }

    for table in DEFAULT_ROWS {
        let sql = format!("SELECT * FROM {table} ORDER BY 1");
        let rows = sqlite_rows(&sqlite, &sql);
        assert!(!rows.is_empty(), "{table} has no default rows");
        assert_eq!(pg_rows(&mut client, &sql), rows, "default rows of {table}");
    }
    let keys = "SELECT key FROM settings ORDER BY 1";
    assert_eq!(pg_rows(&mut client, keys), sqlite_rows(&sqlite, keys));

    // The templates' explicit ids moved the identity on: a new template gets the next id.
    let id: i64 = client
        .query_one(
            "INSERT INTO inspection_templates (name, created_at)
             VALUES ('新模板', '2026-11-23 09:00:00') RETURNING id",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(id, 4);
}

#[test]
fn checks_and_append_only_tables_refuse_as_on_sqlite() {
    let (_dir, sqlite) = sqlite_database();
    let Some(server) = PgServer::start() else {
        return;
    };
    let (_url, mut client) = migrated(&server, "guards");
    sqlite.execute_batch(A_VISIT).unwrap();
    client.batch_execute(A_VISIT).unwrap();
    for (table, insert) in APPEND_ONLY {
        sqlite.execute_batch(insert).unwrap();
        client.batch_execute(insert).unwrap();
        let column = if *table == "visit_log" {
            "detail"
        } else {
            "hash"
        };
        for change in [
            format!("UPDATE {table} SET {column} = {column}"),
            format!("DELETE FROM {table}"),
        ] {
            let message = sqlite_refusal(&sqlite, &change);
            assert_eq!(message, format!("{table} is append-only"));
            let e = pg_refusal(&mut client, &change);
            assert_eq!(e.message(), message, "{change}");
        }
        // TRUNCATE, which SQLite has not, is refused with the same message.
        let e = pg_refusal(&mut client, &format!("TRUNCATE {table} CASCADE"));
        assert_eq!(e.message(), format!("{table} is append-only"));
    }

    // A CHECK: both refuse. SQLite's message quotes the expression, PostgreSQL's names the
    // constraint (`<table>_<column>_check`); both name the column.
    let bad = "INSERT INTO visits (arrived_at, party_size) VALUES ('2026-11-23 09:00:00', 0)";
    let message = sqlite_refusal(&sqlite, bad);
    assert_eq!(message, "CHECK constraint failed: party_size >= 1");
    let e = pg_refusal(&mut client, bad);
    assert_eq!(*e.code(), postgres::error::SqlState::CHECK_VIOLATION);
    assert_eq!(e.constraint(), Some("visits_party_size_check"));
    assert_eq!(
        e.message(),
        "new row for relation \"visits\" violates check constraint \"visits_party_size_check\""
    );
    // The time CHECKs (text compared with text) refuse a greeting before the arrival.
    let early = "UPDATE visits SET greeted_at = '2026-11-23 08:59:59' WHERE id = 1000";
    assert!(sqlite_refusal(&sqlite, early).starts_with("CHECK constraint failed"));
    assert_eq!(
        *pg_refusal(&mut client, early).code(),
        postgres::error::SqlState::CHECK_VIOLATION
    );

    // The purge may empty a correction's detail, and only that, while it says so.
    let mut tx = client.transaction().unwrap();
    tx.batch_execute("SELECT set_config('frontdesk.scrub_visit_log', 'on', true)")
        .unwrap();
    let e = tx
        .batch_execute("UPDATE visit_log SET action = 'x'")
        .unwrap_err();
    assert_eq!(
        e.as_db_error().unwrap().message(),
        "visit_log is append-only"
    );
    tx.rollback().unwrap();
    let mut tx = client.transaction().unwrap();
    tx.batch_execute("SELECT set_config('frontdesk.scrub_visit_log', 'on', true)")
        .unwrap();
    assert_eq!(
        tx.execute("UPDATE visit_log SET detail = ''", &[]).unwrap(),
        1
    );
    tx.commit().unwrap();
    // The next transaction is guarded again.
    let e = pg_refusal(&mut client, "UPDATE visit_log SET detail = ''");
    assert_eq!(e.message(), "visit_log is append-only");
}

/// What the seal triggers noted in this session: (table, key) → times.
fn noted(client: &mut Client) -> BTreeMap<(String, String), i64> {
    client
        .query(
            "SELECT tbl, row_key, count(*) FROM changed_rows GROUP BY tbl, row_key",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| ((r.get(0), r.get(1)), r.get(2)))
        .collect()
}

/// Changes rows of three sealed tables: staff (keyed by id), complaint_categories (by name,
/// renamed once) and settings (by key, upserted twice). Returns the new staff member's id.
fn change_sealed_rows(client: &mut Client, suffix: &str) -> i64 {
    let mut tx = client.transaction().unwrap();
    let id: i64 = tx
        .query_one(
            "INSERT INTO staff (name, role, created_at) VALUES ('王堃', 'service_rep', '2026-11-23 09:00:00')
             RETURNING id",
            &[],
        )
        .unwrap()
        .get(0);
    tx.execute("UPDATE staff SET name = '汪堃' WHERE id = $1", &[&id])
        .unwrap();
    tx.execute("UPDATE staff SET active = 0 WHERE id = $1", &[&id])
        .unwrap();
    let category = format!("包装{suffix}");
    let renamed = format!("包装问题{suffix}");
    tx.execute(
        "INSERT INTO complaint_categories (name, position) VALUES ($1, 7)",
        &[&category],
    )
    .unwrap();
    tx.execute(
        "UPDATE complaint_categories SET position = 8 WHERE name = $1",
        &[&category],
    )
    .unwrap();
    tx.execute(
        "UPDATE complaint_categories SET name = $2 WHERE name = $1",
        &[&category, &renamed],
    )
    .unwrap();
    tx.execute(
        "DELETE FROM complaint_categories WHERE name = $1",
        &[&renamed],
    )
    .unwrap();
    for value in ["1", "2"] {
        tx.execute(
            "INSERT INTO settings (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&format!("operator{suffix}"), &value],
        )
        .unwrap();
    }
    tx.commit().unwrap();
    id
}

#[test]
fn seal_triggers_note_each_changed_row_once_only_in_sessions_that_ask() {
    let Some(server) = PgServer::start() else {
        return;
    };
    let (url, mut client) = migrated(&server, "seals");
    client
        .batch_execute("CREATE TEMP TABLE changed_rows (tbl TEXT NOT NULL, row_key TEXT NOT NULL)")
        .unwrap();
    let id = change_sealed_rows(&mut client, "");
    let expected: BTreeMap<(String, String), i64> = [
        ("staff", id.to_string()),
        ("complaint_categories", "包装".to_owned()),
        ("complaint_categories", "包装问题".to_owned()),
        ("settings", "operator".to_owned()),
    ]
    .into_iter()
    .map(|(t, k)| ((t.to_owned(), k), 1))
    .collect();
    assert_eq!(noted(&mut client), expected);

    // A session without the table (psql, a script) is not stopped, and nothing is noted.
    let mut other = connect(&url);
    change_sealed_rows(&mut other, "2");
    assert_eq!(noted(&mut client), expected);
    let present: Option<String> = other
        .query_one("SELECT to_regclass('pg_temp.changed_rows')::text", &[])
        .unwrap()
        .get(0);
    assert_eq!(present, None);

    // seal_notes (step 7) is sealed too; a DELETE notes the old row.
    client.batch_execute("DELETE FROM changed_rows").unwrap();
    client
        .batch_execute(&format!(
            "INSERT INTO seal_notes (id, kind, entry, hash, at) VALUES (5, 'superseded', 3, 'h', '2026-11-23 09:00:00');
             DELETE FROM seal_notes WHERE id = 5;
             DELETE FROM staff WHERE id = {id}",
        ))
        .unwrap();
    let expected: BTreeMap<(String, String), i64> = [
        (("seal_notes".to_owned(), "5".to_owned()), 1),
        (("staff".to_owned(), id.to_string()), 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(noted(&mut client), expected);

    // With an index on the table of changed rows (as FrontDesk's connection makes it), noting
    // a row is one index lookup, however many rows the statement changes: no scan of the table.
    client
        .batch_execute("CREATE INDEX changed_rows_key ON changed_rows (tbl, row_key)")
        .unwrap();
    let scans = |tx: &mut postgres::Transaction<'_>| -> (i64, i64) {
        let row = tx
            .query_one(
                "SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables
                 WHERE relid = 'pg_temp.changed_rows'::regclass",
                &[],
            )
            .unwrap();
        (row.get(0), row.get(1))
    };
    let mut tx = client.transaction().unwrap();
    let before = scans(&mut tx);
    tx.batch_execute(
        "INSERT INTO staff (name, role, created_at)
         SELECT '员工' || g, 'service_rep', '2026-11-23 09:00:00' FROM generate_series(1, 2000) AS g;
         UPDATE staff SET active = 0 WHERE name LIKE '员工%'",
    )
    .unwrap();
    let after = scans(&mut tx);
    assert_eq!(after.0 - before.0, 0, "sequential scans of changed_rows");
    assert_eq!(after.1 - before.1, 6000, "index lookups in changed_rows");
    let n: i64 = tx
        .query_one("SELECT count(*) FROM changed_rows WHERE tbl = 'staff'", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 2001);
    tx.commit().unwrap();
}

#[test]
fn customer_search_finds_substrings_with_a_usable_trigram_index() {
    let Some(server) = PgServer::start() else {
        return;
    };
    let (_url, mut client) = migrated(&server, "search");
    // The same text the store writes: two-character windows, fields separated by ' . '.
    client
        .batch_execute(
            "INSERT INTO customer_search (rowid, grams)
             SELECT g, 'ab bc cd . ' || substr(md5(g::text), 1, 2) || ' ' || substr(md5(g::text), 2, 2)
             FROM generate_series(1, 20000) AS g;
             INSERT INTO customer_search (rowid, grams) VALUES
                 (20001, '王堃 . 王 . 重庆 庆某 某运 运输 输有 有限 限公 公司 . 13 38 80 00 01 13 38');
             ANALYZE customer_search",
        )
        .unwrap();
    // What the store asks (store/customers.rs): the query's windows as a phrase of the padded
    // text; one character as the start of a window.
    const PADDED: &str = "' ' || replace(grams, ' . ', ' ') || ' '";
    for pattern in ["% 王堃 %", "% 运输 输有 %", "% 王%", "% 38 80 00 01 %"] {
        let found = pg_rows(
            &mut client,
            &format!(
                "SELECT rowid FROM customer_search WHERE {PADDED} LIKE '{pattern}' ORDER BY rowid DESC LIMIT 50"
            ),
        );
        assert_eq!(found, vec![vec!["20001".to_owned()]], "{pattern}");
    }

    let valid = pg_rows(
        &mut client,
        "SELECT i.indisvalid::text, am.amname::text FROM pg_index i
         JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
         WHERE i.indexrelid = 'customer_search_phrase'::regclass",
    );
    assert_eq!(valid, vec![vec!["true".to_owned(), "gin".to_owned()]]);

    // Even one window alone gives the index whole trigrams from the spaces around it ("  王",
    // " 王堃", "王堃 "): the index finds the row without handing the others to the recheck.
    let mut tx = client.transaction().unwrap();
    tx.batch_execute("SET LOCAL enable_seqscan = off").unwrap();
    for pattern in ["% 王堃 %", "% 运输 输有 %"] {
        let plan = explain(
            &mut tx,
            &format!("SELECT rowid FROM customer_search WHERE {PADDED} LIKE '{pattern}'"),
        );
        assert!(
            plan.contains("Bitmap Index Scan on customer_search_phrase")
                && plan.contains("(actual rows=1 loops=1)")
                && !plan.contains("Rows Removed by Index Recheck"),
            "{plan}"
        );
    }
    tx.rollback().unwrap();
}

/// The plan of a query, as run.
fn explain(client: &mut impl postgres::GenericClient, sql: &str) -> String {
    client
        .query(
            &format!("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {sql}"),
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Checks what the desks' role may do in the database at `url`.
fn check_desk_rights(url: &str) {
    let mut desk = connect(&as_user(url, "frontdesk_desk"));
    let user: String = desk
        .query_one("SELECT current_user::text", &[])
        .unwrap()
        .get(0);
    assert_eq!(user, "frontdesk_desk");
    let denied = |desk: &mut Client, sql: &str| {
        let e = pg_refusal(desk, sql);
        assert_eq!(
            *e.code(),
            postgres::error::SqlState::INSUFFICIENT_PRIVILEGE,
            "{sql}: {e}"
        );
        assert!(e.message().starts_with("permission denied"), "{sql}: {e}");
    };

    // FrontDesk's own session: the temporary table of changed rows, then a sealed write.
    desk.batch_execute("CREATE TEMP TABLE changed_rows (tbl TEXT NOT NULL, row_key TEXT NOT NULL)")
        .unwrap();
    let audit_id: i64 = desk
        .query_one(
            "INSERT INTO audit (at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash)
             VALUES ('2026-11-23 09:00:00', NULL, '李娜', 'create', 'visit', 1, '', '{}', '', 'h')
             RETURNING id",
            &[],
        )
        .unwrap()
        .get(0);
    let n: i64 = desk
        .query_one("SELECT count(*) FROM audit WHERE id = $1", &[&audit_id])
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
    denied(&mut desk, "UPDATE audit SET actor = '张伟'");
    denied(&mut desk, "DELETE FROM audit");
    denied(&mut desk, "TRUNCATE audit");
    desk.batch_execute("INSERT INTO seal_chain (id, rows, prev_hash, hash) VALUES (1, 1, '', 'h')")
        .unwrap();
    desk.batch_execute(
        "INSERT INTO seal_log (entry, tbl, row_key, hash) VALUES (1, 'audit', '1', '\\x00')",
    )
    .unwrap();
    for table in ["seal_chain", "seal_log"] {
        denied(&mut desk, &format!("UPDATE {table} SET hash = NULL"));
        denied(&mut desk, &format!("DELETE FROM {table}"));
        denied(&mut desk, &format!("TRUNCATE {table}"));
    }
    denied(&mut desk, "UPDATE frontdesk_meta SET value = '99'");

    let visit: i64 = desk
        .query_one(
            "INSERT INTO visits (arrived_at, surname) VALUES ('2026-11-23 09:00:00', '王') RETURNING id",
            &[],
        )
        .unwrap()
        .get(0);
    let surname: String = desk
        .query_one("SELECT surname FROM visits WHERE id = $1", &[&visit])
        .unwrap()
        .get(0);
    assert_eq!(surname, "王");
    desk.execute("UPDATE visits SET surname = '汪' WHERE id = $1", &[&visit])
        .unwrap();
    let noted: i64 = desk
        .query_one(
            "SELECT count(*) FROM changed_rows WHERE (tbl, row_key) IN (('audit', $1), ('visits', $2))",
            &[&audit_id.to_string(), &visit.to_string()],
        )
        .unwrap()
        .get(0);
    assert_eq!(noted, 2);
    denied(&mut desk, "TRUNCATE visits");

    // The purge's scrub of old corrections needs no right beyond UPDATE on the visit log.
    desk.execute(
        "INSERT INTO visit_log (visit_id, at, action, detail) VALUES ($1, '2026-11-23 09:01:00', 'correct', '姓: 王 → 汪')",
        &[&visit],
    )
    .unwrap();
    let mut tx = desk.transaction().unwrap();
    tx.batch_execute("SELECT set_config('frontdesk.scrub_visit_log', 'on', true)")
        .unwrap();
    let scrubbed = tx
        .execute(
            "UPDATE visit_log SET detail = '' WHERE visit_id = $1",
            &[&visit],
        )
        .unwrap();
    assert_eq!(scrubbed, 1);
    tx.commit().unwrap();

    // No DDL: no tables, no functions, no changes to the guards.
    denied(&mut desk, "CREATE TABLE notes (id BIGINT)");
    denied(
        &mut desk,
        "CREATE FUNCTION f() RETURNS BIGINT LANGUAGE sql AS 'SELECT 1'",
    );
    let e = pg_refusal(&mut desk, "DROP TRIGGER audit_no_update ON audit");
    assert_eq!(*e.code(), postgres::error::SqlState::INSUFFICIENT_PRIVILEGE);
    let e = pg_refusal(&mut desk, "ALTER TABLE visits DISABLE TRIGGER ALL");
    assert_eq!(*e.code(), postgres::error::SqlState::INSUFFICIENT_PRIVILEGE);
}

/// Who owns the objects FrontDesk's steps made: (kind, name) whose owner is not the owner role.
fn not_owned_by_owner(client: &mut Client) -> Vec<Vec<String>> {
    pg_rows(
        client,
        "SELECT 'table', c.relname::text FROM pg_class c
         WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'S')
           AND pg_get_userbyid(c.relowner) <> 'frontdesk_owner'
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
         UNION ALL
         SELECT 'function', p.proname::text FROM pg_proc p
         WHERE p.pronamespace = 'public'::regnamespace
           AND pg_get_userbyid(p.proowner) <> 'frontdesk_owner'
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')",
    )
}

#[test]
fn the_desks_role_reads_and_adds_but_cannot_rewrite_the_records_or_the_schema() {
    let Some(server) = PgServer::start() else {
        return;
    };
    // A DBA who ran the steps as himself: the setup after them, twice (it is run again after
    // every upgrade), hands the objects to the owner role.
    let (url, mut admin) = migrated(&server, "after");
    admin.batch_execute(pg::SERVER_SETUP).unwrap();
    admin.batch_execute(pg::SERVER_SETUP).unwrap();
    admin
        .batch_execute("ALTER ROLE frontdesk_desk LOGIN")
        .unwrap();
    assert_eq!(not_owned_by_owner(&mut admin), Vec::<Vec<String>>::new());
    check_desk_rights(&url);

    // The documented order: setup, the steps as the owner, setup again.
    let url = server.create_database("documented");
    let mut admin = connect(&url);
    admin.batch_execute(pg::SERVER_SETUP).unwrap();
    let mut owner = connect(&as_user(&url, "frontdesk_owner"));
    migrate(&mut owner);
    assert_eq!(
        meta(&mut owner, "schema_version"),
        SCHEMA_VERSION.to_string()
    );
    admin.batch_execute(pg::SERVER_SETUP).unwrap();
    assert_eq!(not_owned_by_owner(&mut admin), Vec::<Vec<String>>::new());
    check_desk_rights(&url);
}
