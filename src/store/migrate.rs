//! Moving a centre from one PC's SQLite file to a shared PostgreSQL server
//! (`frontdesk migrate --from FILE --to postgres://…`).
//!
//! The file is checked first (integrity, every row against its seal, the audit chain) and only
//! read. The server database is set up or upgraded as usual and must hold no records of its own
//! yet (a new database, or one `server-setup` just made); its seeded defaults (categories,
//! causes, templates, settings) give way to the file's. Then, in **one** transaction — so a
//! failure leaves the server as it was — every row of every table is copied with its id, the
//! identity sequences are moved past the copied ids, the row counts are compared table by table,
//! the customer search index is built, and the copy is sealed as one entry of the server's record
//! of changes and audited (file, its database id and head, rows copied). The audit trail is
//! copied as it is, so its hash chain still checks. After the commit the server's `check` runs
//! on what it now holds.
//!
//! Setting the sequences needs the owner's rights: run it with the URL of `frontdesk_owner` or of
//! the administrator, not of the desks' role.

use std::path::Path;

use chrono::NaiveDateTime;

use super::db::{Backend, Db, ToValue, Value};
use super::seal::{self, SEALED};
use super::{Result, Store, StoreError, audit, customers};
use crate::db_params;
use crate::domain::account::{Action, Actor};

/// Tables whose rows show that a database is in use (a server that has any is not migrated
/// into).
const IN_USE: [&str; 10] = [
    "staff",
    "customers",
    "visits",
    "calls",
    "complaints",
    "callbacks",
    "claims",
    "accounts",
    "inspections",
    "audit",
];

/// What [`to_server`] copied.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MigrateReport {
    /// Rows copied, per table (in copy order; tables with none are left out).
    pub tables: Vec<(String, u64)>,
    /// Rows copied in all.
    pub rows: u64,
    /// The file's head of its record of changes when it was copied.
    pub source_head: Option<seal::Head>,
}

/// Copies the database file `from` into the server database `to` (see the module
/// documentation). `progress` hears each table as it is copied.
pub fn to_server(
    from: &Path,
    to: &Path,
    now: NaiveDateTime,
    progress: &mut dyn FnMut(&str, u64),
) -> Result<MigrateReport> {
    if super::is_server_url(from) || !super::is_server_url(to) {
        return Err(StoreError::MigrateRefused {
            reason: "--from must be a database file and --to a postgres:// URL".to_owned(),
        });
    }
    let source = Store::open_read_only(from)?;
    let problems = source.check()?;
    if !problems.is_empty() {
        return Err(StoreError::MigrateRefused {
            reason: format!(
                "{} failed its check (frontdesk check): {}",
                from.display(),
                problems.join("; ")
            ),
        });
    }
    let mut target = Store::open(to)?;
    target.set_actor(Actor::system());
    for table in IN_USE {
        let n: i64 = target
            .db()
            .query_value(&format!("SELECT count(*) FROM {table}"), db_params![])?;
        if n > 0 {
            return Err(StoreError::MigrateRefused {
                reason: format!(
                    "{} already holds records ({n} in {table}); migrate into a new database",
                    target.path().display()
                ),
            });
        }
    }
    let src = source.db();
    let source_head = seal::head(src)?;
    let source_id = seal::database_id(src)?.unwrap_or_default();
    let file_name = from
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let report = target.write_as(Action::ManageAccounts, |db| {
        let mut report = copy_all(src, db, progress)?;
        report.source_head.clone_from(&source_head);
        let head = source_head
            .as_ref()
            .map_or_else(String::new, |h| format!("{}:{}", h.entry, h.hash));
        audit::record(
            db,
            now,
            "migrate",
            "database",
            None,
            "",
            &format!(
                "from {file_name}; database {source_id}; head {head}; {} rows",
                report.rows
            ),
        )?;
        Ok(report)
    })?;
    // Fresh statistics for the planner: until autovacuum gets to the copied tables it would
    // take them for empty and choose plans for that.
    target.maintain(Action::ManageAccounts, |db| db.execute_batch("ANALYZE"))?;
    // The server's own check of what it now holds: every row against its seal, the audit chain.
    let problems = target.check()?;
    if !problems.is_empty() {
        return Err(StoreError::MigrateRefused {
            reason: format!(
                "the copy was committed but the server's check found: {}",
                problems.join("; ")
            ),
        });
    }
    Ok(report)
}

/// A copy of a server database in a new SQLite file at `out` (`frontdesk backup` on a server):
/// every record, in one read-only snapshot of the server (a repeatable-read transaction, so
/// desks go on working and the copy is of one moment), into one transaction of the new file,
/// sealed and audited there, checked, and left as one self-contained file. `migrate` reads it
/// back into a server; the window and every job open it as a database file. The server's own
/// backups (`pg_dump`, archiving) stay its administrator's; this is the portable copy.
pub fn server_to_file(
    from: &Store,
    out: &Path,
    now: NaiveDateTime,
    progress: &mut dyn FnMut(&str, u64),
) -> Result<MigrateReport> {
    if !from.is_server() || super::is_server_url(out) {
        return Err(StoreError::MigrateRefused {
            reason: "a server copy goes from a postgres:// URL to a new database file".to_owned(),
        });
    }
    if out.exists() {
        return Err(StoreError::MigrateRefused {
            reason: format!("{} already exists", out.display()),
        });
    }
    let src = from.db();
    src.execute_batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
    let copied = (|| -> Result<MigrateReport> {
        let source_head = seal::head(src)?;
        let source_id = seal::database_id(src)?.unwrap_or_default();
        let mut file = Store::open(out)?;
        file.set_actor(Actor::system());
        let mut report = file.write_as(Action::ManageAccounts, |db| {
            let report = copy_all(src, db, progress)?;
            let head = source_head
                .as_ref()
                .map_or_else(String::new, |h| format!("{}:{}", h.entry, h.hash));
            audit::record(
                db,
                now,
                "backup",
                "database",
                None,
                "",
                &format!(
                    "copy of server database {source_id}; head {head}; {} rows",
                    report.rows
                ),
            )?;
            Ok(report)
        })?;
        report.source_head = source_head;
        // One self-contained file, as every backup is.
        file.maintain(Action::ManageAccounts, |db| {
            db.execute_batch("PRAGMA journal_mode = DELETE")
        })?;
        let problems = file.check()?;
        if !problems.is_empty() {
            return Err(StoreError::BadBackup {
                path: out.to_path_buf(),
                reason: problems.join("; "),
            });
        }
        Ok(report)
    })();
    let _ = src.execute_batch("COMMIT");
    if copied.is_err() {
        // Nothing half-made is left behind.
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut side = out.as_os_str().to_owned();
            side.push(suffix);
            let _ = std::fs::remove_file(std::path::PathBuf::from(side));
        }
    }
    copied
}

/// Copies every record of `src` into `dst` inside `dst`'s write transaction: `dst`'s seeded
/// defaults give way (its own database id stays), every row of every table is copied with its
/// id, ids go on from the copied ones, the row counts are compared table by table, and the
/// search index is built. `progress` hears each table.
fn copy_all(src: Db<'_>, db: Db<'_>, progress: &mut dyn FnMut(&str, u64)) -> Result<MigrateReport> {
    for (table, _) in SEALED.iter().rev().filter(|(t, _)| *t != "seal_notes") {
        db.execute(
            &format!("DELETE FROM {table}{}", own_rows(table)),
            db_params![],
        )?;
    }
    let mut report = MigrateReport::default();
    let order: Vec<(&str, &str)> = SEALED
        .iter()
        .copied()
        // The notes about a database's own record of changes mean nothing in another's.
        .filter(|(t, _)| *t != "seal_notes")
        .collect();
    let server = db.backend() == Backend::Postgres;
    let forward = if server {
        forward_references(db, &order)?
    } else {
        // SQLite checks the foreign keys at the commit instead.
        db.execute_batch("PRAGMA defer_foreign_keys = ON")?;
        Vec::new()
    };
    let mut patches: Vec<Patch> = Vec::new();
    for &(table, key) in &order {
        let deferred: Vec<&str> = forward
            .iter()
            .filter(|(t, _)| t == table)
            .map(|(_, c)| c.as_str())
            .collect();
        let n = copy_table(src, db, table, key, &deferred, &mut patches)?;
        if server && key == "id" {
            db.execute(
                &format!(
                    "SELECT setval(pg_get_serial_sequence('public.{table}', 'id'),
                                   coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
                ),
                db_params![],
            )?;
        }
        progress(table, n);
        if n > 0 {
            report.tables.push(((*table).to_owned(), n));
            report.rows += n;
        }
    }
    for p in &patches {
        db.execute(
            &format!(
                "UPDATE {} SET {} = ?1 WHERE {} = ?2",
                p.table, p.column, p.key_column
            ),
            db_params![p.value, p.key],
        )?;
    }
    // Every row arrived: the counts are the source's, table by table, before the commit.
    for &(table, _) in &order {
        let count = |d: Db<'_>| -> Result<i64> {
            d.query_value(
                &format!("SELECT count(*) FROM {}{}", d.table(table), own_rows(table)),
                db_params![],
            )
        };
        let (theirs, ours) = (count(src)?, count(db)?);
        if theirs != ours {
            return Err(StoreError::MigrateRefused {
                reason: format!("{table}: {ours} rows copied of {theirs}"),
            });
        }
    }
    customers::reindex_all(db)?;
    Ok(report)
}

/// The rows of `table` that are records to copy: a `WHERE` clause leaving out each database's
/// own id (settings' `database_id`), or nothing.
fn own_rows(table: &str) -> &'static str {
    if table == "settings" {
        " WHERE key <> 'database_id'"
    } else {
        ""
    }
}

/// A value held back while copying (it points to a row not copied yet), set afterwards.
struct Patch {
    table: String,
    column: String,
    key_column: String,
    key: Value,
    value: Value,
}

/// The foreign-key columns, as `(table, column)`, that point to a table copied at the same time
/// or later in `order` (e.g. a call's complaint, while complaints point to calls): they are
/// copied empty and set once every row is there.
fn forward_references(db: Db<'_>, order: &[(&str, &str)]) -> Result<Vec<(String, String)>> {
    let position = |t: &str| order.iter().position(|(name, _)| *name == t);
    let references: Vec<(String, String, String)> = db.query_map(
        "SELECT cl.relname::text, a.attname::text, rf.relname::text
         FROM pg_constraint c
         JOIN pg_class cl ON cl.oid = c.conrelid
         JOIN pg_class rf ON rf.oid = c.confrelid
         JOIN pg_namespace n ON n.oid = cl.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
         WHERE c.contype = 'f' AND n.nspname = 'public'",
        db_params![],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok(references
        .into_iter()
        .filter(
            |(table, _, target)| match (position(table), position(target)) {
                (Some(from), Some(to)) => to >= from,
                _ => false,
            },
        )
        .map(|(table, column, _)| (table, column))
        .collect())
}

/// Copies every row of `table` from `src` to `dst` as it is (ids included, the file's database
/// id left out), the `deferred` columns empty and noted in `patches`; returns how many.
fn copy_table(
    src: Db<'_>,
    dst: Db<'_>,
    table: &str,
    key: &str,
    deferred: &[&str],
    patches: &mut Vec<Patch>,
) -> Result<u64> {
    let mut copied = 0;
    let mut columns: Vec<String> = Vec::new();
    let mut full_batch: Option<(usize, String)> = None;
    let mut pending: Vec<Value> = Vec::new();
    src.query_each(
        &format!(
            "SELECT * FROM {}{} ORDER BY {key}",
            src.table(table),
            own_rows(table)
        ),
        db_params![],
        |row| {
            if columns.is_empty() {
                columns = (0..row.len()).filter_map(|i| row.column_name(i)).collect();
            }
            let (rows_per_batch, sql) = full_batch.get_or_insert_with(|| {
                let rows = (BATCH_PARAMS / columns.len().max(1)).clamp(1, BATCH_ROWS);
                (rows, super::db::insert_rows(table, &columns, rows))
            });
            let mut values: Vec<Value> = (0..row.len())
                .map(|i| row.value(i))
                .collect::<Result<_>>()?;
            let key_at = columns.iter().position(|c| c == key);
            for (i, column) in columns.iter().enumerate() {
                if deferred.contains(&column.as_str()) && values[i] != Value::Null {
                    let value = std::mem::replace(&mut values[i], Value::Null);
                    patches.push(Patch {
                        table: table.to_owned(),
                        column: column.clone(),
                        key_column: key.to_owned(),
                        key: key_at.map_or(Value::Null, |k| values[k].clone()),
                        value,
                    });
                }
            }
            pending.extend(values);
            if pending.len() == *rows_per_batch * columns.len() {
                insert_pending(dst, sql, &mut pending)?;
            }
            copied += 1;
            Ok(())
        },
    )?;
    if !pending.is_empty() {
        let rows = pending.len() / columns.len();
        insert_pending(
            dst,
            &super::db::insert_rows(table, &columns, rows),
            &mut pending,
        )?;
    }
    Ok(copied)
}

/// Parameters per INSERT of [`copy_table`]: a server answers each statement over the network,
/// so rows travel in batches (well below the protocol's 65,535 parameters and SQLite's 32,766).
const BATCH_PARAMS: usize = 30_000;
/// Rows per INSERT at most.
const BATCH_ROWS: usize = 1_000;

/// Inserts the rows collected in `pending` with `sql` and empties it.
fn insert_pending(dst: Db<'_>, sql: &str, pending: &mut Vec<Value>) -> Result<()> {
    let params: Vec<&dyn ToValue> = pending.iter().map(|v| v as &dyn ToValue).collect();
    dst.execute(sql, &params)?;
    pending.clear();
    Ok(())
}
