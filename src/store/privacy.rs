//! Personal-data protection: anonymising old personal details (retention), erasing one customer
//! on request, and making sure the old text does not survive in the files.

use chrono::{Duration, NaiveDateTime};
use rusqlite::{Transaction, params};

use super::{Result, Store, audit, ts};

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
/// details from corrections), and puts the guard back with [`relock_visit_log`].
fn unlock_visit_log(tx: &Transaction<'_>) -> Result<()> {
    tx.execute_batch("DROP TRIGGER IF EXISTS visit_log_no_update")?;
    Ok(())
}

fn relock_visit_log(tx: &Transaction<'_>) -> Result<()> {
    tx.execute_batch(
        "CREATE TRIGGER IF NOT EXISTS visit_log_no_update BEFORE UPDATE ON visit_log
         BEGIN SELECT RAISE(ABORT, 'visit_log is append-only'); END;",
    )?;
    Ok(())
}

/// Anonymises what is older than the retention periods. Counts and times stay, so reports do not
/// change.
pub fn purge(tx: &Transaction<'_>, now: NaiveDateTime, r: Retention) -> Result<PurgeReport> {
    let personal_cutoff = ts(now - Duration::days(r.personal_days));
    let call_cutoff = ts(now - Duration::days(r.call_days));
    let mut report = PurgeReport::default();
    unlock_visit_log(tx)?;
    report.visits = tx.execute(
        "UPDATE visits SET surname = '', name = '', phone = '', company = '', region = ''
         WHERE arrived_at < ?1 AND (surname <> '' OR name <> '' OR phone <> '' OR company <> '' OR region <> '')",
        [&personal_cutoff],
    )?;
    tx.execute(
        "UPDATE visit_log SET detail = '' WHERE action = 'correct' AND detail <> ''
         AND visit_id IN (SELECT id FROM visits WHERE arrived_at < ?1)",
        [&personal_cutoff],
    )?;
    relock_visit_log(tx)?;
    report.calls = tx.execute(
        "UPDATE calls SET caller_name = '', phone = '', region = '', content = '', answer = ''
         WHERE at < ?1 AND (caller_name <> '' OR phone <> '' OR content <> '' OR answer <> '')",
        [&call_cutoff],
    )?;
    let inactive: Vec<i64> = tx
        .prepare(
            "SELECT c.id FROM customers c
             WHERE c.key_account = 0 AND (c.surname <> '' OR c.name <> '' OR c.phone <> '' OR c.company <> '')
               AND c.created_at < ?1
               AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.customer_id = c.id AND v.arrived_at >= ?1)
               AND NOT EXISTS (SELECT 1 FROM calls k WHERE k.customer_id = c.id AND k.at >= ?1)
               AND NOT EXISTS (SELECT 1 FROM complaints p WHERE p.customer_id = c.id AND p.received_at >= ?1)
               AND NOT EXISTS (SELECT 1 FROM claims m WHERE m.customer_id = c.id AND m.reported_at >= ?1)",
        )?
        .query_map([&personal_cutoff], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in &inactive {
        clear_customer(tx, *id)?;
    }
    report.customers = inactive.len();
    if report.customers > 0 {
        super::customers::compact_search_index(tx)?;
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

fn clear_customer(tx: &Transaction<'_>, id: i64) -> Result<()> {
    tx.execute(
        "UPDATE customers SET surname = '', name = '', phone = '', phone2 = '', company = '', region = '', notes = ''
         WHERE id = ?1",
        [id],
    )?;
    tx.execute(
        "UPDATE callbacks SET name = '', phone = '' WHERE customer_id = ?1",
        [id],
    )?;
    // Complaints and claims keep the customer's name and phone as typed; the supervisor inbox
    // keeps it in its summary lines. The records stay, without them.
    tx.execute(
        "UPDATE complaints SET customer_name = '', phone = '' WHERE customer_id = ?1",
        [id],
    )?;
    tx.execute(
        "UPDATE claims SET customer_name = '', phone = '' WHERE customer_id = ?1",
        [id],
    )?;
    tx.execute(
        "UPDATE inbox SET summary = (SELECT c.category || ' · ' || c.content FROM complaints c WHERE c.id = inbox.ref_id)
         WHERE kind = 'complaint' AND ref_id IN (SELECT id FROM complaints WHERE customer_id = ?1)",
        [id],
    )?;
    tx.execute(
        "UPDATE inbox SET summary = (SELECT coalesce(c.category, '') || ': ' || c.content FROM calls c WHERE c.id = inbox.ref_id)
         WHERE kind = 'call' AND ref_id IN (SELECT id FROM calls WHERE customer_id = ?1)",
        [id],
    )?;
    super::customers::reindex(tx, id)?;
    Ok(())
}

/// Erases one customer's personal data on request: the record and every copy of name and phone
/// in visits, calls, callbacks, complaints and claims. The history stays, anonymous. Audited.
pub fn erase_customer(tx: &Transaction<'_>, id: i64, now: NaiveDateTime) -> Result<()> {
    super::customers::get(tx, id)?;
    clear_customer(tx, id)?;
    super::customers::compact_search_index(tx)?;
    unlock_visit_log(tx)?;
    tx.execute(
        "UPDATE visit_log SET detail = '' WHERE action = 'correct' AND visit_id IN (SELECT id FROM visits WHERE customer_id = ?1)",
        [id],
    )?;
    relock_visit_log(tx)?;
    tx.execute("UPDATE visits SET surname = '', name = '', phone = '', company = '', region = '' WHERE customer_id = ?1", [id])?;
    tx.execute(
        "UPDATE calls SET caller_name = '', phone = '', region = '' WHERE customer_id = ?1",
        [id],
    )?;
    audit::record(tx, now, "erase", "customer", Some(id), "", "")
}

/// After anonymising: rewrite the file so that no old text survives in free pages, and empty the
/// WAL. (`secure_delete` is on for every connection as well.) Fails with
/// [`StoreError::ScrubIncomplete`](super::StoreError::ScrubIncomplete) when another connection
/// still reads an older snapshot, so the WAL could not be emptied: then old text may remain.
pub fn scrub_files(store: &Store) -> Result<()> {
    store.maintain(crate::domain::account::Action::ManageAccounts, |conn| {
        Ok(conn.execute_batch("VACUUM")?)
    })?;
    let conn = store.conn();
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

/// Removes backups (`frontdesk-YYYYMMDD-HHMMSS.sqlite3` in the backup folder) older than the
/// retention period. Returns how many were removed.
pub fn remove_old_backups(
    folder: &std::path::Path,
    now: NaiveDateTime,
    r: Retention,
) -> Result<usize> {
    if !folder.is_dir() {
        return Ok(0);
    }
    let dir = folder;
    let cutoff = now - Duration::days(r.personal_days);
    let mut removed = 0;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(stamp) = name
            .strip_prefix("frontdesk-")
            .and_then(|s| s.strip_suffix(".sqlite3"))
        else {
            continue;
        };
        if let Ok(at) = NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S")
            && at < cutoff
        {
            std::fs::remove_file(&path)?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Loads the retention settings. A stored value outside
/// [`crate::domain::validation::RETENTION_DAYS`] (written by hand or by an older version) is
/// clamped into it, so the purge never computes a date out of range.
pub fn retention(conn: &rusqlite::Connection) -> Result<Retention> {
    let range = crate::domain::validation::RETENTION_DAYS;
    let get = |key: &str, default: i64| -> Result<i64> {
        Ok(conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get::<_, String>(0)
            })
            .ok()
            .and_then(|v| v.trim().parse::<i64>().ok())
            .map_or(default, |v| v.clamp(*range.start(), *range.end())))
    };
    let d = Retention::default();
    Ok(Retention {
        personal_days: get("retention_personal_days", d.personal_days)?,
        call_days: get("retention_call_days", d.call_days)?,
    })
}

/// Saves the retention settings (admins).
pub fn set_retention(tx: &Transaction<'_>, r: Retention, now: NaiveDateTime) -> Result<()> {
    crate::domain::validation::retention_days(r.personal_days)?;
    crate::domain::validation::retention_days(r.call_days)?;
    for (k, v) in [
        ("retention_personal_days", r.personal_days),
        ("retention_call_days", r.call_days),
    ] {
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![k, v.to_string()],
        )?;
    }
    audit::record(
        tx,
        now,
        "update",
        "retention",
        None,
        "",
        &format!("{} / {} days", r.personal_days, r.call_days),
    )
}
