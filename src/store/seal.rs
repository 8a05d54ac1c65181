//! Seals over the business records: `frontdesk check` names every row changed, added or removed
//! outside FrontDesk, and a cut or rewritten tail of the record of changes.
//!
//! How it works (schema version 6):
//! - Each writing connection has TEMP triggers on every sealed table that note the key of each
//!   row inserted, updated or deleted in `temp.changed_rows`.
//! - Before a write transaction of FrontDesk commits, [`seal_pending`] hashes the current content
//!   of each noted row (SHA-256 over every column's name, type and value) and appends one entry to
//!   `seal_chain` with one `seal_log` line per row (hash NULL for a deleted row). The entry's hash
//!   covers the previous entry's hash and its lines, so the log forms a hash chain.
//! - After the commit the chain's head (entry number and hash) is written to an anchor file
//!   outside the database (`anchors/<database id>.txt` in the user's data folder); every backup
//!   carries the head of its time too.
//! - [`verify`] recomputes the hash of every row of every sealed table and compares it with the
//!   newest `seal_log` line of that row, checks the chain, and checks that the chain still
//!   contains the heads that anchors and backups saw.
//!
//! What it cannot detect: a change made by someone who also rewrites the log and the chain
//! consistently *and* removes or rewrites every anchor and backup that saw the old head; or a
//! well-formed new entry appended by someone who reimplements FrontDesk's hashing (the chain has
//! no secret key). README says so.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, Transaction};
use sha2::{Digest as _, Sha256};

use super::Result;
use super::db::{Db, Row, ToValue, Value};
use crate::db_params;

/// The sealed tables and the column that identifies a row in each (the primary key).
pub const SEALED: &[(&str, &str)] = &[
    ("settings", "key"),
    ("staff", "id"),
    ("customers", "id"),
    ("visits", "id"),
    ("visit_log", "id"),
    ("complaint_categories", "name"),
    ("calls", "id"),
    ("complaints", "id"),
    ("complaint_events", "id"),
    ("callbacks", "id"),
    ("inbox", "id"),
    ("complaint_weeks", "week"),
    ("claim_causes", "name"),
    ("claims", "id"),
    ("claim_parties", "id"),
    ("claim_events", "id"),
    ("claim_files", "id"),
    ("claim_months", "month"),
    ("accounts", "id"),
    ("audit", "id"),
    ("inspection_templates", "id"),
    ("inspection_template_items", "id"),
    ("inspections", "id"),
    ("inspection_items", "id"),
    ("rectifications", "id"),
    ("rewards_penalties", "id"),
    ("credit_history", "id"),
    ("case_transfers", "id"),
    ("attendance", "id"),
    ("daily_reports", "id"),
    ("incidents", "id"),
    ("quality_measures", "id"),
    ("waybill_changes", "id"),
    ("seal_notes", "id"),
];

/// The head of the chain: the newest entry's number and hash.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Head {
    /// Entry number (1, 2, …).
    pub entry: i64,
    /// Its hash (hex).
    pub hash: String,
}

/// A head seen outside the database: an anchor file or a backup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Witness {
    /// Where it was seen (for the message).
    pub source: String,
    /// What it saw.
    pub head: Head,
}

/// What [`verify`] looked at and found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Sealed tables checked.
    pub tables: usize,
    /// Rows whose hash was recomputed.
    pub rows: u64,
    /// Entries in the chain.
    pub chain_len: i64,
    /// Anchors and backups compared with the chain.
    pub witnesses: usize,
    /// What is wrong, one line each; empty when all is well.
    pub problems: Vec<String>,
}

fn sealed_key(table: &str) -> Option<&'static str> {
    SEALED.iter().find(|(t, _)| *t == table).map(|(_, k)| *k)
}

/// Whether the file has the seal tables (schema version 6 and later).
pub fn has_seals<'a>(db: impl Into<Db<'a>>) -> Result<bool> {
    db.into().table_exists("seal_chain")
}

/// The connection's TEMP table of changed rows. It has no unique constraint on purpose: a
/// conflict clause of the statement that fires a trigger (an upsert's `ON CONFLICT`) would
/// override the trigger's own, so the triggers skip rows already noted with `WHERE NOT EXISTS`.
const CHANGED_ROWS: &str =
    "CREATE TEMP TABLE IF NOT EXISTS changed_rows (tbl TEXT NOT NULL, row_key TEXT NOT NULL);
     CREATE INDEX IF NOT EXISTS temp.changed_rows_key ON changed_rows (tbl, row_key);";

/// Creates the connection's TEMP table of changed rows and the TEMP triggers that fill it.
pub(super) fn install_change_triggers(conn: &Connection) -> Result<()> {
    let mut sql = format!("{CHANGED_ROWS}\n");
    for (table, key) in SEALED {
        let note = |row: &str| {
            format!(
                "INSERT INTO changed_rows SELECT '{table}', {row}.{key} WHERE NOT EXISTS \
                 (SELECT 1 FROM changed_rows WHERE tbl = '{table}' AND row_key = CAST({row}.{key} AS TEXT));"
            )
        };
        let _ = writeln!(
            sql,
            "CREATE TEMP TRIGGER IF NOT EXISTS seal_{table}_insert AFTER INSERT ON {table} BEGIN {} END;\n\
             CREATE TEMP TRIGGER IF NOT EXISTS seal_{table}_update AFTER UPDATE ON {table} BEGIN {} {} END;\n\
             CREATE TEMP TRIGGER IF NOT EXISTS seal_{table}_delete AFTER DELETE ON {table} BEGIN {} END;",
            note("new"),
            note("old"),
            note("new"),
            note("old"),
        );
    }
    conn.execute_batch(&sql)?;
    Ok(())
}

/// Notes every row of every sealed table as changed, so the next [`seal_pending`] seals them all
/// (the first seal of a file migrated from an older version).
pub(super) fn note_all_rows(tx: &Transaction<'_>) -> Result<()> {
    tx.execute_batch(CHANGED_ROWS)?;
    for (table, key) in SEALED {
        tx.execute(
            &format!("INSERT INTO temp.changed_rows SELECT '{table}', {key} FROM main.{table}"),
            [],
        )?;
    }
    Ok(())
}

/// From how many changed rows of one table [`seal_pending`] reads them in one query (a join with
/// the notes) instead of one query per row: a server answers every query over the network.
const BULK_ROWS: i64 = 500;

/// Seal log lines per INSERT statement.
const LOG_LINES_PER_INSERT: usize = 1_000;

/// Seals the rows changed in this transaction: one chain entry with a log line per row. Returns
/// the new head, or `None` when nothing sealed changed.
///
/// Lines are in table order, then row-key order (text, byte by byte). A table with many changed
/// rows (an import, a migration) is read in one query joined with the notes.
pub fn seal_pending<'a>(db: impl Into<Db<'a>>) -> Result<Option<Head>> {
    let db = db.into();
    let tables: Vec<(String, i64)> = db.query_map(
        db.pick(
            "SELECT tbl, count(DISTINCT row_key) FROM changed_rows GROUP BY tbl ORDER BY tbl",
            "SELECT tbl, count(DISTINCT row_key) FROM changed_rows GROUP BY tbl
             ORDER BY tbl COLLATE \"C\"",
        ),
        db_params![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let rows: i64 = tables.iter().map(|(_, n)| n).sum();
    if rows == 0 {
        return Ok(None);
    }
    let (last, prev_hash) = head(db)?.map_or((0, String::new()), |h| (h.entry, h.hash));
    let entry = last + 1;
    let mut chain = Sha256::new();
    chain.update(prev_hash.as_bytes());
    let mut all = Vec::with_capacity(tables.len());
    for (table, n) in &tables {
        let lines = if *n >= BULK_ROWS {
            changed_row_hashes(db, table)?
        } else {
            let keys: Vec<String> = db.query_map(
                db.pick(
                    "SELECT DISTINCT row_key FROM changed_rows WHERE tbl = ?1 ORDER BY row_key",
                    "SELECT row_key FROM changed_rows WHERE tbl = ?1 GROUP BY row_key
                     ORDER BY row_key COLLATE \"C\"",
                ),
                db_params![table],
                |r| r.get(0),
            )?;
            let mut lines = Vec::with_capacity(keys.len());
            for key in keys {
                let hash = row_hash(db, table, &key)?;
                lines.push((key, hash));
            }
            lines
        };
        for (key, hash) in &lines {
            chain_line(&mut chain, table, key, hash.as_ref());
        }
        all.push((table, lines));
    }
    let hash = hex(&chain.finalize());
    db.execute(
        "INSERT INTO seal_chain (id, rows, prev_hash, hash) VALUES (?1, ?2, ?3, ?4)",
        db_params![entry, rows, prev_hash, hash],
    )?;
    for (table, lines) in &all {
        insert_log_lines(db, entry, table, lines)?;
    }
    db.execute("DELETE FROM changed_rows", db_params![])?;
    Ok(Some(Head { entry, hash }))
}

/// The hash of every row of `table` noted as changed (`None`: deleted), in row-key order, read
/// in one query: the notes joined with the table.
fn changed_row_hashes(db: Db<'_>, table: &str) -> Result<Vec<(String, Option<[u8; 32]>)>> {
    let Some(key_column) = sealed_key(table) else {
        return Ok(Vec::new());
    };
    // Each noted key looks its row up by the table's key (an id through its primary key).
    let matches = if key_column == "id" {
        format!("t.id = CAST(k.row_key AS {})", db.pick("INTEGER", "BIGINT"))
    } else {
        format!("t.{key_column} = k.row_key")
    };
    let sql = format!(
        "SELECT k.row_key, t.* FROM (SELECT DISTINCT row_key FROM changed_rows WHERE tbl = ?1) k
         LEFT JOIN {} t ON {matches}
         ORDER BY k.row_key{}",
        db.table(table),
        db.pick("", " COLLATE \"C\"")
    );
    let mut key_at = None;
    db.query_map(&sql, db_params![table], |r| {
        let at = *key_at.get_or_insert_with(|| {
            (1..r.len())
                .find(|&i| r.column_name(i).as_deref() == Some(key_column))
                .unwrap_or(1)
        });
        let exists = !matches!(r.value(at)?, Value::Null);
        Ok((
            r.get(0)?,
            if exists {
                Some(hash_columns(r, 1)?)
            } else {
                None
            },
        ))
    })
}

/// Adds the seal log lines of `table` to chain entry `entry`, many per statement.
fn insert_log_lines(
    db: Db<'_>,
    entry: i64,
    table: &str,
    lines: &[(String, Option<[u8; 32]>)],
) -> Result<()> {
    for batch in lines.chunks(LOG_LINES_PER_INSERT) {
        let sql = super::db::insert_rows(
            "seal_log",
            &["entry", "tbl", "row_key", "hash"],
            batch.len(),
        );
        let hashes: Vec<Option<Vec<u8>>> =
            batch.iter().map(|(_, h)| h.map(|h| h.to_vec())).collect();
        let mut params: Vec<&dyn ToValue> = Vec::with_capacity(4 * batch.len());
        for ((key, _), hash) in batch.iter().zip(&hashes) {
            params.extend([&entry as &dyn ToValue, &table, key, hash]);
        }
        db.execute(&sql, &params)?;
    }
    Ok(())
}

fn chain_line(chain: &mut Sha256, table: &str, key: &str, hash: Option<&[u8; 32]>) {
    chain.update([0x1e]);
    chain.update(table.as_bytes());
    chain.update([0x1f]);
    chain.update(key.as_bytes());
    chain.update([0x1f]);
    match hash {
        Some(h) => chain.update(h),
        None => chain.update(b"-"),
    }
}

/// The newest chain entry, if any.
pub fn head<'a>(db: impl Into<Db<'a>>) -> Result<Option<Head>> {
    let db = db.into();
    if !has_seals(db)? {
        return Ok(None);
    }
    db.query_opt(
        "SELECT id, hash FROM seal_chain ORDER BY id DESC LIMIT 1",
        db_params![],
        |r| {
            Ok(Head {
                entry: r.get(0)?,
                hash: r.get(1)?,
            })
        },
    )
}

/// The file's own id (kept in settings), which names its anchor file.
pub fn database_id<'a>(db: impl Into<Db<'a>>) -> Result<Option<String>> {
    let db = db.into();
    if !db.table_exists("settings")? {
        return Ok(None);
    }
    db.query_opt(
        "SELECT value FROM settings WHERE key = 'database_id'",
        db_params![],
        |r| r.get(0),
    )
}

/// SHA-256 over a row's columns (name, type and value of each), or `None` when there is no such
/// row.
fn row_hash(db: Db<'_>, table: &str, key: &str) -> Result<Option<[u8; 32]>> {
    let Some(key_column) = sealed_key(table) else {
        return Ok(None);
    };
    let sql = format!("SELECT * FROM {} WHERE {key_column} = ?1", db.table(table));
    if key_column == "id" {
        let id: i64 = key.parse().unwrap_or(i64::MIN);
        db.query_opt(&sql, db_params![id], |r| hash_columns(r, 0))
    } else {
        db.query_opt(&sql, db_params![key], |r| hash_columns(r, 0))
    }
}

/// Columns added to sealed tables after schema version 8: a NULL in one of them is left out of
/// the row's hash, so rows sealed before the column existed keep their seals (and a value put
/// there, or taken out, still changes the hash).
const ADDED_LATER: &[&str] = &[
    "desk",
    "settle_by",
    "major",
    "settled_directly",
    "transferred_to",
    "transfer_note",
    "staff_feedback",
    "attendance_id",
];

/// SHA-256 over the columns of `row` from `first` on: each column's name, type and value.
fn hash_columns(row: &Row<'_>, first: usize) -> Result<[u8; 32]> {
    let mut h = Sha256::new();
    for i in first..row.len() {
        let name = row.column_name(i).unwrap_or_default();
        let value = row.value(i)?;
        if matches!(value, Value::Null) && ADDED_LATER.contains(&name.as_str()) {
            continue;
        }
        h.update(name.as_bytes());
        h.update([0x1f]);
        match value {
            Value::Null => h.update(b"n"),
            Value::Int(v) => {
                h.update(b"i");
                h.update(v.to_le_bytes());
            }
            Value::Real(v) => {
                h.update(b"r");
                h.update(v.to_bits().to_le_bytes());
            }
            Value::Text(t) => {
                h.update(b"t");
                h.update((t.len() as u64).to_le_bytes());
                h.update(t.as_bytes());
            }
            Value::Blob(b) => {
                h.update(b"b");
                h.update((b.len() as u64).to_le_bytes());
                h.update(&b);
            }
        }
        h.update([0x1e]);
    }
    Ok(h.finalize().into())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks every sealed row, the chain, and the heads seen by `witnesses`.
pub fn verify<'a>(db: impl Into<Db<'a>>, witnesses: &[Witness]) -> Result<Report> {
    let db = db.into();
    let mut report = Report::default();
    if !has_seals(db)? {
        report
            .problems
            .push("the file has no seals (schema older than version 6)".to_owned());
        return Ok(report);
    }
    verify_chain(db, &mut report)?;
    for w in witnesses {
        report.witnesses += 1;
        if is_superseded(db, &w.head)? {
            continue;
        }
        let found: Option<String> = db.query_opt(
            "SELECT hash FROM seal_chain WHERE id = ?1",
            db_params![w.head.entry],
            |r| r.get(0),
        )?;
        match found {
            Some(hash) if hash == w.head.hash => {}
            Some(_) => report.problems.push(format!(
                "the record of changes was rewritten: {} saw entry {} with another hash",
                w.source, w.head.entry
            )),
            None => report.problems.push(format!(
                "the record of changes was cut: {} saw entry {}, the file ends at entry {}",
                w.source, w.head.entry, report.chain_len
            )),
        }
    }
    for (table, key) in SEALED {
        if !db.table_exists(table)? {
            continue;
        }
        report.tables += 1;
        verify_table(db, table, key, &mut report)?;
    }
    Ok(report)
}

/// Whether a restore discarded the chain tail that contained `head` (schema version 7 and later).
fn is_superseded(db: Db<'_>, head: &Head) -> Result<bool> {
    if !db.table_exists("seal_notes")? {
        return Ok(false);
    }
    Ok(db
        .query_opt(
            "SELECT 1 FROM seal_notes WHERE kind = 'superseded' AND entry = ?1 AND hash = ?2",
            db_params![head.entry, head.hash],
            |_| Ok(()),
        )?
        .is_some())
}

/// The head a file stands witness for: its own head, or, in a backup rewritten by a purge, the
/// head it had when it was made (its oldest `copied_from` note).
pub fn witness_head<'a>(db: impl Into<Db<'a>>) -> Result<Option<Head>> {
    let db = db.into();
    if db.table_exists("seal_notes")?
        && let Some(head) = db.query_opt(
            "SELECT entry, hash FROM seal_notes WHERE kind = 'copied_from' ORDER BY id LIMIT 1",
            db_params![],
            |r| {
                Ok(Head {
                    entry: r.get(0)?,
                    hash: r.get(1)?,
                })
            },
        )?
    {
        return Ok(Some(head));
    }
    head(db)
}

/// Walks the chain: each entry's hash must cover the previous hash and its own log lines.
fn verify_chain(db: Db<'_>, report: &mut Report) -> Result<()> {
    let entries: Vec<(i64, i64, String, String)> = db.query_map(
        "SELECT id, rows, prev_hash, hash FROM seal_chain ORDER BY id",
        db_params![],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let lines_sql = db.pick(
        "SELECT tbl, row_key, hash FROM seal_log WHERE entry = ?1 ORDER BY tbl, row_key",
        "SELECT tbl, row_key, hash FROM seal_log WHERE entry = ?1
         ORDER BY tbl COLLATE \"C\", row_key COLLATE \"C\"",
    );
    let mut prev = String::new();
    let mut expected_id = 1;
    for (id, count, stored_prev, stored) in entries {
        report.chain_len = id;
        if id != expected_id {
            report.problems.push(format!(
                "record of changes: entries {expected_id}…{} are missing",
                id - 1
            ));
        }
        expected_id = id + 1;
        let mut chain = Sha256::new();
        chain.update(stored_prev.as_bytes());
        let mut n = 0;
        db.query_each(lines_sql, db_params![id], |l| {
            let table: String = l.get(0)?;
            let key: String = l.get(1)?;
            let hash: Option<Vec<u8>> = l.get(2)?;
            let hash: Option<[u8; 32]> = hash.and_then(|h| h.try_into().ok());
            chain_line(&mut chain, &table, &key, hash.as_ref());
            n += 1;
            Ok(())
        })?;
        if stored_prev != prev || stored != hex(&chain.finalize()) || n != count {
            report.problems.push(format!(
                "record of changes: entry {id} was changed outside FrontDesk (hash chain broken)"
            ));
            return Ok(());
        }
        prev = stored;
    }
    Ok(())
}

/// Compares every row of `table` with its newest seal, and finds sealed rows that are gone.
fn verify_table(db: Db<'_>, table: &str, key: &str, report: &mut Report) -> Result<()> {
    // The newest seal of every row of the table, in one pass.
    let mut sealed: std::collections::HashMap<String, Option<Vec<u8>>> =
        std::collections::HashMap::new();
    db.query_each(
        "SELECT row_key, hash FROM seal_log s WHERE tbl = ?1
           AND entry = (SELECT max(entry) FROM seal_log WHERE tbl = s.tbl AND row_key = s.row_key)",
        db_params![table],
        |r| {
            sealed.insert(r.get(0)?, r.get(1)?);
            Ok(())
        },
    )?;
    let mut seen = std::collections::HashSet::new();
    db.query_each(
        &format!("SELECT CAST({key} AS TEXT), * FROM {}", db.table(table)),
        db_params![],
        |r| {
            report.rows += 1;
            let row_key: String = r.get(0)?;
            // Column 0 is the key as text; the rest is the row as `SELECT *` gives it.
            let actual = hash_columns(r, 1)?;
            match sealed.get(&row_key) {
                Some(Some(h)) if h[..] == actual[..] => {}
                Some(Some(_)) => report.problems.push(format!(
                    "table {table} row {row_key}: changed outside FrontDesk"
                )),
                Some(None) | None => report.problems.push(format!(
                    "table {table} row {row_key}: added outside FrontDesk"
                )),
            }
            seen.insert(row_key);
            Ok(())
        },
    )?;
    let mut gone: Vec<&String> = sealed
        .iter()
        .filter(|(k, h)| h.is_some() && !seen.contains(*k))
        .map(|(k, _)| k)
        .collect();
    gone.sort();
    for k in gone {
        report
            .problems
            .push(format!("table {table} row {k}: removed outside FrontDesk"));
    }
    Ok(())
}

/// The anchor file of a database in `dir`.
pub fn anchor_path(dir: &Path, database_id: &str) -> PathBuf {
    dir.join(format!("{database_id}.txt"))
}

/// Writes the chain head to the database's anchor file (a temporary file renamed into place).
pub fn write_anchor(dir: &Path, database_id: &str, head: &Head) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let path = anchor_path(dir, database_id);
    let tmp = path.with_extension("txt.tmp");
    std::fs::write(&tmp, format!("{} {}\n", head.entry, head.hash))?;
    std::fs::rename(&tmp, &path)
}

/// Reads a database's anchor file, if there is one.
pub fn read_anchor(dir: &Path, database_id: &str) -> std::io::Result<Option<Witness>> {
    let path = anchor_path(dir, database_id);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut parts = text.split_whitespace();
    let entry = parts.next().and_then(|e| e.parse().ok());
    let hash = parts.next();
    match (entry, hash) {
        (Some(entry), Some(hash)) => Ok(Some(Witness {
            source: format!("the anchor {}", path.display()),
            head: Head {
                entry,
                hash: hash.to_owned(),
            },
        })),
        _ => Err(std::io::Error::other(format!(
            "{} is not an anchor file",
            path.display()
        ))),
    }
}

/// The heads seen outside the database at `db`: its anchor file in `anchor_dir`, every backup
/// of the same database (same id) in `backup_folder`, and the `--out` copies remembered beside the
/// anchors (see [`super::backup::remember_copy`]).
pub fn witnesses<'a>(
    conn: impl Into<Db<'a>>,
    db: &Path,
    anchor_dir: Option<&Path>,
    backup_folder: &Path,
) -> Result<Vec<Witness>> {
    let Some(id) = database_id(conn)? else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    if let Some(dir) = anchor_dir
        && let Some(w) = read_anchor(dir, &id)?
    {
        found.push(w);
    }
    let mut backups: Vec<PathBuf> = std::fs::read_dir(backup_folder)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "sqlite3"))
                .collect()
        })
        .unwrap_or_default();
    backups.sort();
    if let Some(dir) = anchor_dir {
        backups.extend(super::backup::remembered_copies(dir, &id));
    }
    // Each file once, and never the database itself.
    let mut seen = std::collections::HashSet::new();
    if let Ok(own) = std::fs::canonicalize(db) {
        seen.insert(own);
    }
    backups.retain(|p| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())));
    for path in backups {
        let Ok(backup) = super::read_connection(&path) else {
            continue;
        };
        // A file that is not a FrontDesk backup of this database is not a witness.
        let same = database_id(&backup).ok().flatten().as_deref() == Some(id.as_str());
        if let (true, Ok(Some(head))) = (same, witness_head(&backup)) {
            found.push(Witness {
                source: format!("the backup {}", path.display()),
                head,
            });
        }
    }
    Ok(found)
}
