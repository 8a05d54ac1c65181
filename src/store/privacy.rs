//! Personal-data protection: anonymising old personal details (retention), erasing one customer
//! on request, and making sure the old text does not survive in the files — the database, its
//! WAL, its search index, and every backup FrontDesk made of it ([`purge_everywhere`]).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension as _};

use super::backup::{self, Kind, Rotation};
use super::db::{Backend, Db};
use super::{Result, Store, StoreError, audit, seal, ts};
use crate::db_params;
use crate::domain::account::{Action, Actor};

/// What a purge anonymised.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PurgeReport {
    /// Visits whose visitor details were cleared.
    pub visits: usize,
    /// Calls whose caller details and contents were cleared.
    pub calls: usize,
    /// Customers (not key accounts, no contact for the retention time) anonymised.
    pub customers: usize,
    /// Old backup files removed.
    pub backups: usize,
}

/// Retention periods (admin settings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retention {
    /// Visitor details and inactive customers are anonymised after this many days.
    pub personal_days: i64,
    /// Call contents are cleared after this many days.
    pub call_days: i64,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            personal_days: 365,
            call_days: 365,
        }
    }
}

/// Allows UPDATEs of the append-only visit log for the rest of the transaction (to scrub personal
/// details from corrections), and puts the guard back with [`relock_visit_log`]. On SQLite the
/// guard trigger is dropped inside the transaction; on a server (where the desks' role may not
/// drop it) the guard lets the update through while the transaction-local setting
/// `frontdesk.scrub_visit_log` is on.
fn unlock_visit_log(tx: Db<'_>) -> Result<()> {
    match tx.backend() {
        Backend::Sqlite => tx.execute_batch("DROP TRIGGER IF EXISTS visit_log_no_update"),
        Backend::Postgres => {
            tx.execute_batch("SELECT set_config('frontdesk.scrub_visit_log', 'on', true)")
        }
    }
}

/// Drops erased text from every search index: the customers' and the records' (whose entries
/// are first rebuilt from the anonymised rows, in this transaction), each merged afterwards so no
/// window of an erased name or phone is left in the file.
fn compact_search_indexes(tx: Db<'_>) -> Result<()> {
    super::customers::compact_search_index(tx)?;
    super::text_search::reindex_pending(tx)?;
    super::text_search::compact(tx)
}

fn relock_visit_log(tx: Db<'_>) -> Result<()> {
    match tx.backend() {
        Backend::Sqlite => tx.execute_batch(
            "CREATE TRIGGER IF NOT EXISTS visit_log_no_update BEFORE UPDATE ON visit_log
             BEGIN SELECT RAISE(ABORT, 'visit_log is append-only'); END;",
        ),
        Backend::Postgres => {
            tx.execute_batch("SELECT set_config('frontdesk.scrub_visit_log', 'off', true)")
        }
    }
}

/// Visits whose visitor details the purge clears (`?1`: the personal-data cutoff).
const VISITS_DUE: &str = "arrived_at < ?1
    AND (surname <> '' OR name <> '' OR phone <> '' OR company <> '' OR region <> '')";

/// Correction lines (old and new values) of the visits the purge clears.
const VISIT_LOG_DUE: &str = "action = 'correct' AND detail <> ''
    AND visit_id IN (SELECT id FROM visits WHERE arrived_at < ?1)";

/// Calls whose caller details and contents the purge clears (`?1`: the call cutoff).
const CALLS_DUE: &str = "at < ?1
    AND (caller_name <> '' OR phone <> '' OR region <> '' OR content <> '' OR answer <> '')";

/// The summary an escalated call keeps in the supervisors' inbox once the call is cleared.
const CLEARED_CALL_SUMMARY: &str =
    "(SELECT coalesce(c.category, '') || ': ' || c.content FROM calls c WHERE c.id = inbox.ref_id)";

/// Inbox lines of old calls that still quote the caller (`?1`: the call cutoff).
const INBOX_DUE: &str = "kind = 'call' AND ref_id IN (SELECT id FROM calls WHERE at < ?1)
    AND summary IS DISTINCT FROM (SELECT coalesce(c.category, '') || ': ' || c.content FROM calls c WHERE c.id = inbox.ref_id)";

/// Customers the purge anonymises: not key accounts, with personal details, created before the
/// cutoff `?1` and with no visit, call, complaint or claim since.
const INACTIVE_CUSTOMERS: &str = "SELECT c.id FROM customers c
     WHERE c.key_account = 0 AND (c.surname <> '' OR c.name <> '' OR c.phone <> '' OR c.company <> '')
       AND c.created_at < ?1
       AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.customer_id = c.id AND v.arrived_at >= ?1)
       AND NOT EXISTS (SELECT 1 FROM calls k WHERE k.customer_id = c.id AND k.at >= ?1)
       AND NOT EXISTS (SELECT 1 FROM complaints p WHERE p.customer_id = c.id AND p.received_at >= ?1)
       AND NOT EXISTS (SELECT 1 FROM claims m WHERE m.customer_id = c.id AND m.reported_at >= ?1)";

/// Anonymises what is older than the retention periods. Counts and times stay, so reports do not
/// change.
pub fn purge(tx: Db<'_>, now: NaiveDateTime, r: Retention) -> Result<PurgeReport> {
    let personal_cutoff = ts(now - Duration::days(r.personal_days));
    let call_cutoff = ts(now - Duration::days(r.call_days));
    let mut report = PurgeReport::default();
    unlock_visit_log(tx)?;
    report.visits = tx.execute(
        &format!(
            "UPDATE visits SET surname = '', name = '', phone = '', company = '', region = '' WHERE {VISITS_DUE}"
        ),
        db_params![personal_cutoff],
    )?;
    tx.execute(
        &format!("UPDATE visit_log SET detail = '' WHERE {VISIT_LOG_DUE}"),
        db_params![personal_cutoff],
    )?;
    relock_visit_log(tx)?;
    report.calls = tx.execute(
        &format!(
            "UPDATE calls SET caller_name = '', phone = '', region = '', content = '', answer = '' WHERE {CALLS_DUE}"
        ),
        db_params![call_cutoff],
    )?;
    // An escalated call's inbox line quotes the caller and the content.
    tx.execute(
        &format!("UPDATE inbox SET summary = {CLEARED_CALL_SUMMARY} WHERE {INBOX_DUE}"),
        db_params![call_cutoff],
    )?;
    let inactive: Vec<i64> =
        tx.query_map(INACTIVE_CUSTOMERS, db_params![personal_cutoff], |row| {
            row.get(0)
        })?;
    for id in &inactive {
        clear_customer(tx, *id)?;
    }
    report.customers = inactive.len();
    if report.customers + report.visits + report.calls > 0 {
        compact_search_indexes(tx)?;
    }
    audit::record(
        tx,
        now,
        "purge",
        "personal_data",
        None,
        "",
        &format!(
            "visits {}, calls {}, customers {}",
            report.visits, report.calls, report.customers
        ),
    )?;
    Ok(report)
}

/// Whether [`purge`] would change anything in the database behind `db` (read only).
pub fn purge_due<'a>(db: impl Into<Db<'a>>, now: NaiveDateTime, r: Retention) -> Result<bool> {
    let db = db.into();
    let personal_cutoff = ts(now - Duration::days(r.personal_days));
    let call_cutoff = ts(now - Duration::days(r.call_days));
    let queries = [
        (
            format!("SELECT 1 FROM visits WHERE {VISITS_DUE}"),
            &personal_cutoff,
        ),
        (
            format!("SELECT 1 FROM visit_log WHERE {VISIT_LOG_DUE}"),
            &personal_cutoff,
        ),
        (
            format!("SELECT 1 FROM calls WHERE {CALLS_DUE}"),
            &call_cutoff,
        ),
        (
            format!("SELECT 1 FROM inbox WHERE {INBOX_DUE}"),
            &call_cutoff,
        ),
        (INACTIVE_CUSTOMERS.to_owned(), &personal_cutoff),
    ];
    for (sql, cutoff) in queries {
        let found: bool = db.query_value(&format!("SELECT EXISTS ({sql})"), db_params![cutoff])?;
        if found {
            return Ok(true);
        }
    }
    Ok(false)
}

fn clear_customer(tx: Db<'_>, id: i64) -> Result<()> {
    tx.execute(
        "UPDATE customers SET surname = '', name = '', phone = '', phone2 = '', company = '', region = '', notes = ''
         WHERE id = ?1",
        db_params![id],
    )?;
    tx.execute(
        "UPDATE callbacks SET name = '', phone = '' WHERE customer_id = ?1",
        db_params![id],
    )?;
    // Complaints and claims keep the customer's name and phone as typed; the supervisor inbox
    // keeps it in its summary lines. The records stay, without them.
    tx.execute(
        "UPDATE complaints SET customer_name = '', phone = '' WHERE customer_id = ?1",
        db_params![id],
    )?;
    tx.execute(
        "UPDATE claims SET customer_name = '', phone = '' WHERE customer_id = ?1",
        db_params![id],
    )?;
    tx.execute(
        "UPDATE inbox SET summary = (SELECT c.category || ' · ' || c.content FROM complaints c WHERE c.id = inbox.ref_id)
         WHERE kind = 'complaint' AND ref_id IN (SELECT id FROM complaints WHERE customer_id = ?1)",
        db_params![id],
    )?;
    tx.execute(
        "UPDATE inbox SET summary = (SELECT coalesce(c.category, '') || ': ' || c.content FROM calls c WHERE c.id = inbox.ref_id)
         WHERE kind = 'call' AND ref_id IN (SELECT id FROM calls WHERE customer_id = ?1)",
        db_params![id],
    )?;
    super::customers::reindex(tx, id)?;
    Ok(())
}

/// Erases one customer's personal data on request: the record and every copy of name and phone
/// in visits, calls, callbacks, complaints and claims. The history stays, anonymous. Audited.
pub fn erase_customer(tx: Db<'_>, id: i64, now: NaiveDateTime) -> Result<()> {
    super::customers::get(tx, id)?;
    erase_traces(tx, id)?;
    compact_search_indexes(tx)?;
    audit::record(tx, now, "erase", "customer", Some(id), "", "")
}

/// What [`erase_customer`] clears, without the audit line and the index compaction (the caller
/// compacts once after several customers).
fn erase_traces(tx: Db<'_>, id: i64) -> Result<()> {
    clear_customer(tx, id)?;
    unlock_visit_log(tx)?;
    tx.execute(
        "UPDATE visit_log SET detail = '' WHERE action = 'correct' AND visit_id IN (SELECT id FROM visits WHERE customer_id = ?1)",
        db_params![id],
    )?;
    relock_visit_log(tx)?;
    tx.execute("UPDATE visits SET surname = '', name = '', phone = '', company = '', region = '' WHERE customer_id = ?1", db_params![id])?;
    tx.execute(
        "UPDATE calls SET caller_name = '', phone = '', region = '' WHERE customer_id = ?1",
        db_params![id],
    )?;
    Ok(())
}

/// After anonymising: rewrite the file so that no old text survives in free pages, and empty the
/// WAL. (`secure_delete` is on for every connection as well.) Fails with
/// [`StoreError::ScrubIncomplete`](super::StoreError::ScrubIncomplete) when another connection
/// still reads an older snapshot, so the WAL could not be emptied: then old text may remain.
///
/// On a server there is no file of FrontDesk's to rewrite: PostgreSQL's autovacuum removes the
/// old row versions, and the server's own backups and WAL archive are its administrator's (see
/// the README).
pub fn scrub_files(store: &Store) -> Result<()> {
    if store.is_server() {
        return Ok(());
    }
    store.maintain(crate::domain::account::Action::ManageAccounts, |db| {
        db.execute_batch("VACUUM")
    })?;
    let conn = store.sqlite()?;
    // Readers of an older snapshot block the truncation; wait a little for them, not the full
    // write timeout.
    conn.busy_timeout(std::time::Duration::from_secs(2))?;
    let result = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
        ))
    });
    conn.busy_timeout(super::BUSY_TIMEOUT)?;
    let (busy, wal_frames, checkpointed) = result?;
    if busy != 0 || wal_frames != checkpointed || wal_frames > 0 {
        return Err(super::StoreError::ScrubIncomplete);
    }
    Ok(())
}

/// Removes the backups in the backup folder (files named like backups, every [`Kind`]) made
/// before the retention period. Returns how many were removed.
pub fn remove_old_backups(folder: &Path, now: NaiveDateTime, r: Retention) -> Result<usize> {
    if !folder.is_dir() {
        return Ok(0);
    }
    let cutoff = now - Duration::days(r.personal_days);
    let mut removed = 0;
    for entry in std::fs::read_dir(folder)? {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if let Some((made_at, _)) = backup::parse_file_name(name)
            && made_at < cutoff
            && path.is_file()
        {
            std::fs::remove_file(&path)?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Loads the retention settings. A stored value outside
/// [`crate::domain::validation::RETENTION_DAYS`] (written by hand or by an older version) is
/// clamped into it ([`crate::domain::settings::parse_retention_days`]), so the purge never
/// computes a date out of range.
pub fn retention<'a>(db: impl Into<Db<'a>>) -> Result<Retention> {
    let db = db.into();
    let days = |key: &str, default: i64| -> Result<i64> {
        Ok(crate::domain::settings::parse_retention_days(
            super::settings::value(db, key)?.as_deref(),
            default,
        ))
    };
    let d = Retention::default();
    Ok(Retention {
        personal_days: days("retention_personal_days", d.personal_days)?,
        call_days: days("retention_call_days", d.call_days)?,
    })
}

/// Saves the retention settings (admins).
pub fn set_retention(tx: Db<'_>, r: Retention, now: NaiveDateTime) -> Result<()> {
    crate::domain::settings::check_retention(r.personal_days, r.call_days)?;
    for (k, v) in [
        ("retention_personal_days", r.personal_days),
        ("retention_call_days", r.call_days),
    ] {
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            db_params![k, v.to_string()],
        )?;
    }
    audit::record(
        tx,
        now,
        "update",
        "retention",
        None,
        "",
        &crate::domain::settings::retention_audit_line(r.personal_days, r.call_days),
    )
}

/// What [`purge_everywhere`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PurgeEverywhere {
    /// What the purge anonymised in the database (`backups`: old backups removed).
    pub report: PurgeReport,
    /// Backups (in the backup folder and `--out` copies) rewritten without the purged data.
    pub backups_rewritten: usize,
    /// Backups removed for being older than the retention period.
    pub backups_removed: usize,
    /// The copy of the database made just before the purge (rewritten too when it held purged
    /// data); none on a server, whose backups are its administrator's.
    pub pre_purge: Option<PathBuf>,
}

/// The purge with everything around it, for `frontdesk purge` and the app's automatic purge:
///
/// 1. a pre-purge backup in `backup_folder` (refused, and nothing purged, when the disk is too
///    full), followed by the `rotation`;
/// 2. [`purge`] with the retention from the settings, as the store's actor;
/// 3. [`scrub_files`]: no old text in the file's free pages or its WAL;
/// 4. [`remove_old_backups`];
/// 5. every remaining backup of this database (same database id) — in `backup_folder` and the
///    `--out` copies remembered beside the anchors in `anchor_dir` — gets the same purge and the
///    customers, visits, correction lines and calls the database has anonymised or erased are
///    cleared in it too; then it is compacted and left as one file (rollback journal, no
///    `-wal`/`-shm`). A backup with nothing to scrub is not touched. Each rewritten backup keeps
///    the head it was made with in a `copied_from` note, so it still stands witness for the
///    database (see [`seal::witness_head`]), and its own seals stay consistent. Files that are
///    unreadable or of another database are left alone.
///
/// Errors after step 2 do not undo the purge: a database that could not be scrubbed gives
/// [`StoreError::ScrubIncomplete`], backups that could not be rewritten
/// [`StoreError::BackupsNotScrubbed`] naming them (the other steps are done first either way).
pub fn purge_everywhere(
    store: &mut Store,
    backup_folder: &Path,
    anchor_dir: Option<&Path>,
    now: NaiveDateTime,
    rotation: Rotation,
) -> Result<PurgeEverywhere> {
    store.actor().require(Action::ManageAccounts)?;
    let retention = retention(store.db())?;
    if store.is_server() {
        let report = store.write_as(Action::ManageAccounts, |tx| purge(tx, now, retention))?;
        return Ok(PurgeEverywhere {
            report,
            ..PurgeEverywhere::default()
        });
    }
    let pre_purge = store.backup_into(backup_folder, now, Kind::PrePurge, rotation, &mut |_| {})?;
    let mut report = store.write_as(Action::ManageAccounts, |tx| purge(tx, now, retention))?;
    let scrubbed = scrub_files(store);
    let removed = remove_old_backups(backup_folder, now, retention);
    report.backups = *removed.as_ref().unwrap_or(&0);
    let cleared = Cleared::read(store.db())?;
    let mut rewritten = 0;
    let mut failed: Vec<(PathBuf, String)> = Vec::new();
    for copy in copies_of(store, backup_folder, anchor_dir)? {
        match scrub_copy(&copy, &cleared, now, retention) {
            Ok(true) => rewritten += 1,
            Ok(false) => {}
            Err(e) => failed.push((copy, e.to_string())),
        }
    }
    scrubbed?;
    let removed = removed?;
    if !failed.is_empty() {
        return Err(StoreError::BackupsNotScrubbed {
            paths: failed.iter().map(|(p, _)| p.clone()).collect(),
            detail: failed
                .iter()
                .map(|(p, e)| format!("{}: {e}", p.display()))
                .collect::<Vec<_>>()
                .join("; "),
        });
    }
    Ok(PurgeEverywhere {
        report,
        backups_rewritten: rewritten,
        backups_removed: removed,
        pre_purge: Some(pre_purge),
    })
}

/// The backups FrontDesk made of the database of `store`: those in `folder` and the remembered
/// `--out` copies that are still of this database (same id), each once, never the database
/// itself.
fn copies_of(store: &Store, folder: &Path, anchor_dir: Option<&Path>) -> Result<Vec<PathBuf>> {
    let Some(id) = seal::database_id(store.db())? else {
        return Ok(Vec::new());
    };
    let mut candidates: Vec<PathBuf> = backup::list(folder)
        .into_iter()
        .filter(|b| b.database_id.as_deref() == Some(id.as_str()))
        .map(|b| b.path)
        .collect();
    if let Some(dir) = anchor_dir {
        for copy in backup::remembered_copies(dir, &id) {
            let same = super::read_connection(&copy)
                .ok()
                .and_then(|c| seal::database_id(&c).ok().flatten());
            if same.as_deref() == Some(id.as_str()) {
                candidates.push(copy);
            }
        }
    }
    let mut seen: HashSet<PathBuf> = HashSet::new();
    if let Ok(own) = std::fs::canonicalize(store.path()) {
        seen.insert(own);
    }
    Ok(candidates
        .into_iter()
        .filter(|p| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())))
        .collect())
}

/// A kind of row the database may have anonymised (by the purge or an erasure) that a backup
/// still has with its personal details. Rows are matched by id *and* creation time, so a row
/// that took a reused id after a restore is never taken for another.
struct Followed {
    table: &'static str,
    /// The row's creation time.
    time: &'static str,
    /// The row has been anonymised (in the database).
    cleared: &'static str,
    /// The row still has personal details (in a backup).
    personal: &'static str,
}

const FOLLOWED: [Followed; 4] = [
    Followed {
        table: "customers",
        time: "created_at",
        cleared: "surname = '' AND name = '' AND phone = '' AND company = ''",
        personal: "surname <> '' OR name <> '' OR phone <> '' OR phone2 <> '' OR company <> '' OR region <> '' OR notes <> ''",
    },
    Followed {
        table: "visits",
        time: "arrived_at",
        cleared: "surname = '' AND name = '' AND phone = '' AND company = ''",
        personal: "surname <> '' OR name <> '' OR phone <> '' OR company <> '' OR region <> ''",
    },
    Followed {
        table: "visit_log",
        time: "at",
        cleared: "action = 'correct' AND detail = ''",
        personal: "action = 'correct' AND detail <> ''",
    },
    Followed {
        table: "calls",
        time: "at",
        cleared: "caller_name = '' AND phone = ''",
        personal: "caller_name <> '' OR phone <> '' OR region <> ''",
    },
];

/// The rows of each [`FOLLOWED`] kind the database has anonymised: (id, creation time).
struct Cleared([HashSet<(i64, String)>; 4]);

impl Cleared {
    fn read(db: Db<'_>) -> Result<Self> {
        let mut sets: [HashSet<(i64, String)>; 4] = Default::default();
        for (set, f) in sets.iter_mut().zip(&FOLLOWED) {
            let rows: Vec<(i64, String)> = db.query_map(
                &format!("SELECT id, {} FROM {} WHERE {}", f.time, f.table, f.cleared),
                db_params![],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            set.extend(rows);
        }
        Ok(Self(sets))
    }

    /// The ids, per [`FOLLOWED`] kind, of rows the database has anonymised that the file behind
    /// `conn` still has with personal details.
    fn still_in(&self, conn: &Connection) -> Result<[Vec<i64>; 4]> {
        let mut found: [Vec<i64>; 4] = Default::default();
        for ((ids, set), f) in found.iter_mut().zip(&self.0).zip(&FOLLOWED) {
            if set.is_empty() || !super::table_exists(conn, f.table)? {
                continue;
            }
            let mut stmt = conn.prepare(&format!(
                "SELECT id, {} FROM {} WHERE {}",
                f.time, f.table, f.personal
            ))?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
            for row in rows {
                let row = row?;
                if set.contains(&row) {
                    ids.push(row.0);
                }
            }
        }
        Ok(found)
    }
}

/// Rewrites the backup at `path` without the personal data the database no longer has (see
/// [`purge_everywhere`]). Returns whether it had anything to scrub (and was rewritten).
fn scrub_copy(
    path: &Path,
    cleared: &Cleared,
    now: NaiveDateTime,
    retention: Retention,
) -> Result<bool> {
    // A cheap look first, reading only: most days most backups have nothing to scrub.
    let (still, witnessed) = {
        let conn = super::read_connection(path)?;
        let still = cleared.still_in(&conn)?;
        if still.iter().all(Vec::is_empty) && !purge_due(&conn, now, retention)? {
            return Ok(false);
        }
        // The head the backup was made with, unless an earlier purge noted it already. Read
        // before the file is opened for writing, which may upgrade its schema.
        let noted = super::table_exists(&conn, "seal_notes")?
            && conn
                .query_row(
                    "SELECT 1 FROM seal_notes WHERE kind = 'copied_from' LIMIT 1",
                    [],
                    |_| Ok(()),
                )
                .optional()?
                .is_some();
        let witnessed = if noted { None } else { seal::head(&conn)? };
        (still, witnessed)
    };
    // No anchor directory: the database's anchor is not this file's business.
    let mut copy = Store::open(path)?;
    copy.set_actor(Actor::system());
    let written = copy.write_as(Action::ManageAccounts, |tx| {
        if let Some(head) = &witnessed {
            tx.execute(
                "INSERT INTO seal_notes (kind, entry, hash, at, note) VALUES ('copied_from', ?1, ?2, ?3, 'purge')",
                db_params![head.entry, head.hash, ts(now)],
            )?;
        }
        purge(tx, now, retention)?;
        follow_database(tx, &still, now)?;
        Ok(())
    });
    // Back to one self-contained file even when the write failed.
    let compacted = copy.maintain(Action::ManageAccounts, |_| {
        let conn = copy.sqlite()?;
        if written.is_ok() {
            conn.execute_batch("VACUUM")?;
        }
        let mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))?;
        if mode.eq_ignore_ascii_case("delete") {
            Ok(())
        } else {
            Err(StoreError::ScrubIncomplete)
        }
    });
    drop(copy);
    written?;
    compacted?;
    for suffix in ["-wal", "-shm"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        if Path::new(&side).exists() {
            return Err(StoreError::ScrubIncomplete);
        }
    }
    Ok(true)
}

/// Clears in a backup what the database has anonymised (the ids from [`Cleared::still_in`]),
/// and notes it in the backup's audit trail.
fn follow_database(tx: Db<'_>, still: &[Vec<i64>; 4], now: NaiveDateTime) -> Result<()> {
    let [customers, visits, visit_log, calls] = still;
    for id in customers {
        erase_traces(tx, *id)?;
    }
    unlock_visit_log(tx)?;
    for id in visits {
        tx.execute(
            "UPDATE visit_log SET detail = '' WHERE action = 'correct' AND visit_id = ?1",
            db_params![id],
        )?;
    }
    for id in visit_log {
        tx.execute(
            "UPDATE visit_log SET detail = '' WHERE id = ?1",
            db_params![id],
        )?;
    }
    relock_visit_log(tx)?;
    for id in visits {
        tx.execute(
            "UPDATE visits SET surname = '', name = '', phone = '', company = '', region = '' WHERE id = ?1",
            db_params![id],
        )?;
    }
    for id in calls {
        tx.execute(
            "UPDATE calls SET caller_name = '', phone = '', region = '' WHERE id = ?1",
            db_params![id],
        )?;
        tx.execute(
            &format!("UPDATE inbox SET summary = {CLEARED_CALL_SUMMARY} WHERE kind = 'call' AND ref_id = ?1"),
            db_params![id],
        )?;
    }
    if still.iter().any(|ids| !ids.is_empty()) {
        compact_search_indexes(tx)?;
        audit::record(
            tx,
            now,
            "scrub",
            "backup",
            None,
            "",
            &format!(
                "as in the database: customers {}, visits {}, corrections {}, calls {}",
                customers.len(),
                visits.len(),
                visit_log.len(),
                calls.len()
            ),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::customer::Honorific;
    use crate::domain::visit::RegistrationDraft;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    /// A row of a backup follows the database's anonymisation only when it is the same row: same
    /// id *and* same creation time (after a restore, ids are taken again by other rows).
    #[test]
    fn backup_rows_follow_by_id_and_creation_time() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path().join("fd.sqlite3")).unwrap();
        let arrived = at("2026-11-20 09:00:00");
        let reg = RegistrationDraft {
            surname: "王".into(),
            honorific: Some(Honorific::Mr),
            name: "王堃".into(),
            phone: "13812345678".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        let visit = store
            .write(|tx| super::super::visits::register(tx, None, &reg, arrived, None))
            .unwrap();
        let customer = super::super::visits::get(store.db(), visit)
            .unwrap()
            .customer_id
            .unwrap();
        let cleared = |customers: Vec<(i64, String)>, visits: Vec<(i64, String)>| {
            Cleared([
                customers.into_iter().collect(),
                visits.into_iter().collect(),
                HashSet::new(),
                HashSet::new(),
            ])
        };
        let same = cleared(vec![(customer, ts(arrived))], vec![(visit, ts(arrived))]);
        assert_eq!(
            same.still_in(store.sqlite().unwrap()).unwrap(),
            [vec![customer], vec![visit], vec![], vec![]]
        );
        let other_rows = cleared(
            vec![(customer, "2026-11-21 10:00:00".into())],
            vec![(visit, "2026-11-21 10:00:00".into())],
        );
        assert!(
            other_rows
                .still_in(store.sqlite().unwrap())
                .unwrap()
                .iter()
                .all(Vec::is_empty)
        );
        // Nothing is old enough to purge yet; a year later the visit is.
        let r = Retention::default();
        assert!(!purge_due(store.db(), arrived, r).unwrap());
        assert!(purge_due(store.db(), arrived + Duration::days(400), r).unwrap());
    }
}
