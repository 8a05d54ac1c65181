//! Personal-data protection: anonymising old personal details (retention), erasing one customer
//! on request, and making sure the old text does not survive in the files — the database, its
//! WAL, its search index, and every backup FrontDesk made of it ([`purge_everywhere`]).

use std::collections::HashSet;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension as _};

use super::backup::{self, Kind, Progress, Rotation};
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
    /// Waybill change requests whose requester, new consignee and phones were cleared.
    pub waybills: usize,
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
    AND EXISTS (SELECT 1 FROM visits v WHERE v.id = visit_log.visit_id AND v.arrived_at < ?1)";

/// Calls whose caller details and contents the purge clears (`?1`: the call cutoff).
const CALLS_DUE: &str = "at < ?1
    AND (caller_name <> '' OR phone <> '' OR region <> '' OR content <> '' OR answer <> ''
        OR transfer_note <> '')";

/// Waybill change requests whose people and phones the purge clears (`?1`: the personal-data
/// cutoff). The waybill, the department and the times stay.
const WAYBILLS_DUE: &str = "at < ?1
    AND (requester <> '' OR requester_phone <> '' OR new_consignee <> '' OR new_phone <> ''
        OR note <> '' OR handling_note <> '' OR confirm_note <> '')";

/// What clearing a waybill change request sets.
const WAYBILL_CLEARED: &str = "requester = '', requester_phone = '', new_consignee = '',
    new_phone = '', note = '', handling_note = '', confirm_note = ''";

/// The summary an escalated call keeps in the supervisors' inbox once the call is cleared.
const CLEARED_CALL_SUMMARY: &str =
    "(SELECT coalesce(c.category, '') || ': ' || c.content FROM calls c WHERE c.id = inbox.ref_id)";

/// Inbox lines of old calls that still quote the caller (`?1`: the call cutoff).
const INBOX_DUE: &str = "kind = 'call'
    AND EXISTS (SELECT 1 FROM calls k WHERE k.id = inbox.ref_id AND k.at < ?1)
    AND summary IS DISTINCT FROM (SELECT coalesce(c.category, '') || ': ' || c.content FROM calls c WHERE c.id = inbox.ref_id)";

/// Transfers of old calls whose reason or outcome still says something (`?1`: the call cutoff):
/// free text that can name the caller.
const CALL_TRANSFERS_DUE: &str = "case_kind = 'call' AND (reason <> '' OR outcome <> '')
    AND EXISTS (SELECT 1 FROM calls k WHERE k.id = case_transfers.case_id AND k.at < ?1)";

/// What a transfer said, cleared: its reason and outcome (free text that can name the customer).
const CLEAR_TRANSFER_TEXT: &str = "UPDATE case_transfers SET reason = '', outcome = ''";

/// Customers the purge anonymises: not key accounts, with personal details, created before the
/// cutoff `?1` and with no visit, call, complaint or claim since.
const INACTIVE_CUSTOMERS: &str = "SELECT c.id FROM customers c
     WHERE c.key_account = 0 AND (c.surname <> '' OR c.name <> '' OR c.phone <> '' OR c.company <> '')
       AND c.created_at < ?1
       AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.customer_id = c.id AND v.arrived_at >= ?1)
       AND NOT EXISTS (SELECT 1 FROM calls k WHERE k.customer_id = c.id AND k.at >= ?1)
       AND NOT EXISTS (SELECT 1 FROM complaints p WHERE p.customer_id = c.id AND p.received_at >= ?1)
       AND NOT EXISTS (SELECT 1 FROM claims m WHERE m.customer_id = c.id AND m.reported_at >= ?1)";

/// The setting that says a purge has anonymised rows but not finished (its search indexes not
/// compacted, its audit line not written yet): the totals so far, as in the audit line ("visits
/// 12, calls 3, customers 0"). Written in the same transaction as each part of the purge, so a
/// purge cut short leaves it behind; [`purge_due`] then says a purge is due, and the next purge
/// adds its own rows, compacts the indexes and writes one audit line with the totals.
const PURGE_UNFINISHED: &str = "purge_unfinished";

/// How many ids of one table one transaction of [`purge_in_chunks`] covers at most: each
/// transaction seals (and keeps in memory) at most this many visits, calls or customers and the
/// rows that go with them, however much is due.
pub const PURGE_CHUNK_IDS: i64 = 5_000;

/// The dates before which the purge clears personal details and call contents.
struct Cutoffs {
    personal: String,
    calls: String,
}

impl Cutoffs {
    fn new(now: NaiveDateTime, r: Retention) -> Self {
        Self {
            personal: ts(now - Duration::days(r.personal_days)),
            calls: ts(now - Duration::days(r.call_days)),
        }
    }
}

/// What the purge clears, in its order; each part is cleared by windows of ids of its table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    /// Visitor details, and the correction lines of those visits.
    Visits,
    /// Caller details and contents, and the inbox lines and transfers that quote them.
    Calls,
    /// Inactive customers and the copies of their names (see [`clear_customer`]).
    Customers,
    /// Waybill change requests: who asked, the new consignee and phone, what was said.
    Waybills,
}

impl Part {
    const ALL: [Self; 4] = [Self::Visits, Self::Calls, Self::Customers, Self::Waybills];

    fn table(self) -> &'static str {
        match self {
            Self::Visits => "visits",
            Self::Calls => "calls",
            Self::Customers => "customers",
            Self::Waybills => "waybill_changes",
        }
    }

    /// Clears what is due among the rows of this part with ids in `after + 1 ..= last`; returns
    /// how many visits, calls or customers were anonymised.
    fn clear(self, tx: Db<'_>, cutoffs: &Cutoffs, after: i64, last: i64) -> Result<usize> {
        match self {
            Self::Visits => {
                let corrections = format!("{VISIT_LOG_DUE} AND visit_id > ?2 AND visit_id <= ?3");
                let params = db_params![cutoffs.personal, after, last];
                let any: bool = tx.query_value(
                    &format!("SELECT EXISTS (SELECT 1 FROM visit_log WHERE {corrections})"),
                    params,
                )?;
                if any {
                    unlock_visit_log(tx)?;
                    tx.execute(
                        &format!("UPDATE visit_log SET detail = '' WHERE {corrections}"),
                        params,
                    )?;
                    relock_visit_log(tx)?;
                }
                tx.execute(
                    &format!(
                        "UPDATE visits SET surname = '', name = '', phone = '', company = '', region = ''
                         WHERE id > ?2 AND id <= ?3 AND {VISITS_DUE}"
                    ),
                    params,
                )
            }
            Self::Calls => {
                let params = db_params![cutoffs.calls, after, last];
                let calls = tx.execute(
                    &format!(
                        "UPDATE calls SET caller_name = '', phone = '', region = '', content = '', answer = '',
                             transfer_note = CASE WHEN transfer_note IS NULL THEN NULL ELSE '' END
                         WHERE id > ?2 AND id <= ?3 AND {CALLS_DUE}"
                    ),
                    params,
                )?;
                // An escalated call's inbox line quotes the caller and the content.
                tx.execute(
                    &format!(
                        "UPDATE inbox SET summary = {CLEARED_CALL_SUMMARY}
                         WHERE ref_id > ?2 AND ref_id <= ?3 AND {INBOX_DUE}"
                    ),
                    params,
                )?;
                // So may what the call's transfers said.
                tx.execute(
                    &format!(
                        "{CLEAR_TRANSFER_TEXT}
                         WHERE case_id > ?2 AND case_id <= ?3 AND {CALL_TRANSFERS_DUE}"
                    ),
                    params,
                )?;
                Ok(calls)
            }
            Self::Customers => {
                let inactive: Vec<i64> = tx.query_map(
                    &format!("{INACTIVE_CUSTOMERS} AND c.id > ?2 AND c.id <= ?3"),
                    db_params![cutoffs.personal, after, last],
                    |row| row.get(0),
                )?;
                for id in &inactive {
                    clear_customer(tx, *id)?;
                }
                Ok(inactive.len())
            }
            Self::Waybills => tx.execute(
                &format!(
                    "UPDATE waybill_changes SET {WAYBILL_CLEARED}
                     WHERE id > ?2 AND id <= ?3 AND {WAYBILLS_DUE}"
                ),
                db_params![cutoffs.personal, after, last],
            ),
        }
    }
}

impl PurgeReport {
    fn add(&mut self, part: Part, n: usize) {
        match part {
            Part::Visits => self.visits += n,
            Part::Calls => self.calls += n,
            Part::Customers => self.customers += n,
            Part::Waybills => self.waybills += n,
        }
    }

    /// The audit line's text (and the [`PURGE_UNFINISHED`] setting's).
    fn totals_line(&self) -> String {
        format!(
            "visits {}, calls {}, customers {}, waybills {}",
            self.visits, self.calls, self.customers, self.waybills
        )
    }

    /// Reads [`Self::totals_line`] back; a part it does not name counts 0.
    fn from_totals_line(line: &str) -> Self {
        let mut report = Self::default();
        for (name, n) in line.split(", ").filter_map(|item| item.split_once(' ')) {
            let n = n.trim().parse().unwrap_or(0);
            match name.trim() {
                "visits" => report.visits = n,
                "calls" => report.calls = n,
                "customers" => report.customers = n,
                "waybills" => report.waybills = n,
                _ => {}
            }
        }
        report
    }
}

/// Adds `n` rows of `part` to the totals of the unfinished purge ([`PURGE_UNFINISHED`]).
fn note_unfinished(tx: Db<'_>, part: Part, n: usize) -> Result<()> {
    let mut totals = super::settings::value(tx, PURGE_UNFINISHED)?
        .map(|line| PurgeReport::from_totals_line(&line))
        .unwrap_or_default();
    totals.add(part, n);
    super::settings::set_value(tx, PURGE_UNFINISHED, &totals.totals_line())
}

/// The end of a purge, in its own transaction after the parts: compacts the search indexes when
/// rows were anonymised (by this purge or by one cut short before it), writes the one audit line
/// with the totals, and removes [`PURGE_UNFINISHED`].
fn finish_purge(tx: Db<'_>, now: NaiveDateTime) -> Result<()> {
    let unfinished = super::settings::value(tx, PURGE_UNFINISHED)?;
    let totals = unfinished
        .as_deref()
        .map(PurgeReport::from_totals_line)
        .unwrap_or_default();
    if unfinished.is_some() {
        compact_search_indexes(tx)?;
        tx.execute(
            "DELETE FROM settings WHERE key = ?1",
            db_params![PURGE_UNFINISHED],
        )?;
    }
    audit::record(
        tx,
        now,
        "purge",
        "personal_data",
        None,
        "",
        &totals.totals_line(),
    )
}

/// Anonymises what is older than the retention periods, all in the transaction `tx` (a backup
/// being scrubbed, a test). Counts and times stay, so reports do not change. A database in use
/// is purged with [`purge_in_chunks`] instead, which anonymises exactly the same rows.
pub fn purge(tx: Db<'_>, now: NaiveDateTime, r: Retention) -> Result<PurgeReport> {
    let cutoffs = Cutoffs::new(now, r);
    let mut report = PurgeReport::default();
    for part in Part::ALL {
        let n = part.clear(tx, &cutoffs, i64::MIN, i64::MAX)?;
        if n > 0 {
            note_unfinished(tx, part, n)?;
            report.add(part, n);
        }
    }
    finish_purge(tx, now)?;
    Ok(report)
}

/// What a purge in chunks reports after each of its transactions: the rows anonymised so far
/// and the ids looked at so far out of all (every purged table's id range), for a progress bar.
/// It answers whether to go on.
pub type OnPurgeProgress<'a> = &'a mut dyn FnMut(&PurgeReport, Progress) -> ControlFlow<()>;

/// [`purge`] in many transactions of `store` (each a write of its own, sealed): each covers at
/// most `chunk_ids` ids of one table, so memory stays bounded however much is due, and the
/// desks can write between two of them. Then one last transaction compacts the search indexes
/// and writes the purge's one audit line, with the totals.
///
/// `progress` hears how far it is after each transaction; when it breaks, the purge stops there
/// and `None` is returned. What was done stays, and is whole: each transaction leaves a
/// consistent database, and the next purge (due by [`purge_due`]) finishes the job.
pub fn purge_in_chunks(
    store: &mut Store,
    now: NaiveDateTime,
    r: Retention,
    chunk_ids: i64,
    progress: OnPurgeProgress<'_>,
) -> Result<Option<PurgeReport>> {
    let cutoffs = Cutoffs::new(now, r);
    let chunk_ids = chunk_ids.max(1);
    let mut report = PurgeReport::default();
    // Each table's id range, read first: rows added during the purge have ids above its end;
    // they are new, or for the next purge.
    let mut ranges = Vec::new();
    for part in Part::ALL {
        let (low, high) = store.db().query_row(
            &format!("SELECT min(id), max(id) FROM {}", part.table()),
            db_params![],
            |r| Ok((r.get::<Option<i64>>(0)?, r.get::<Option<i64>>(1)?)),
        )?;
        if let (Some(low), Some(high)) = (low, high) {
            ranges.push((part, low, high));
        }
    }
    let span = |low: i64, high: i64| u64::try_from(high.saturating_sub(low)).unwrap_or(0) + 1;
    let total: u64 = ranges.iter().map(|&(_, low, high)| span(low, high)).sum();
    let mut finished = 0;
    for (part, low, max) in ranges {
        let table = part.table();
        let mut after = low.saturating_sub(1);
        while after < max {
            // The window starts at the next id there is, so gaps in the ids cost nothing.
            let Some(first) = store.db().query_value::<Option<i64>>(
                &format!("SELECT min(id) FROM {table} WHERE id > ?1"),
                db_params![after],
            )?
            else {
                break;
            };
            let last = first.saturating_add(chunk_ids - 1).min(max);
            let n = store.write_as(Action::ManageAccounts, |tx| {
                let n = part.clear(tx, &cutoffs, after, last)?;
                if n > 0 {
                    note_unfinished(tx, part, n)?;
                }
                Ok(n)
            })?;
            report.add(part, n);
            after = last;
            let done = finished + span(low, last);
            if progress(&report, Progress { done, total }).is_break() {
                return Ok(None);
            }
        }
        finished += span(low, max);
    }
    store.write_as(Action::ManageAccounts, |tx| finish_purge(tx, now))?;
    Ok(Some(report))
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
        (
            format!("SELECT 1 FROM case_transfers WHERE {CALL_TRANSFERS_DUE}"),
            &call_cutoff,
        ),
        (INACTIVE_CUSTOMERS.to_owned(), &personal_cutoff),
        (
            format!("SELECT 1 FROM waybill_changes WHERE {WAYBILLS_DUE}"),
            &personal_cutoff,
        ),
        (
            "SELECT 1 FROM settings WHERE key = ?1".to_owned(),
            &PURGE_UNFINISHED.to_owned(),
        ),
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
    // Their waybill change requests, asked on the record or on one of their calls or visits.
    tx.execute(
        &format!(
            "UPDATE waybill_changes SET {WAYBILL_CLEARED}
             WHERE customer_id = ?1
                OR call_id IN (SELECT id FROM calls WHERE customer_id = ?1)
                OR visit_id IN (SELECT id FROM visits WHERE customer_id = ?1)"
        ),
        db_params![id],
    )?;
    // A major accident's inbox line names the customer too.
    tx.execute(
        "UPDATE inbox SET summary = (SELECT '重大事故 · ' || c.waybill FROM claims c WHERE c.id = inbox.ref_id)
         WHERE kind = 'claim' AND ref_id IN (SELECT id FROM claims WHERE customer_id = ?1)",
        db_params![id],
    )?;
    // So may what the transfers of their complaints and claims said.
    tx.execute(
        &format!(
            "{CLEAR_TRANSFER_TEXT}
             WHERE (reason <> '' OR outcome <> '')
               AND ((case_kind = 'complaint'
                     AND case_id IN (SELECT id FROM complaints WHERE customer_id = ?1))
                 OR (case_kind = 'claim'
                     AND case_id IN (SELECT id FROM claims WHERE customer_id = ?1)))"
        ),
        db_params![id],
    )?;
    super::customers::reindex(tx, id)?;
    Ok(())
}

/// Erases one customer's personal data on request: the record and every copy of name and phone
/// in visits, calls, callbacks, complaints and claims, and what the transfers of their calls,
/// complaints and claims said. The history stays, anonymous. Audited.
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
        "UPDATE calls SET caller_name = '', phone = '', region = '',
             transfer_note = CASE WHEN transfer_note IS NULL THEN NULL ELSE '' END
         WHERE customer_id = ?1",
        db_params![id],
    )?;
    tx.execute(
        &format!(
            "{CLEAR_TRANSFER_TEXT}
             WHERE case_kind = 'call' AND (reason <> '' OR outcome <> '')
               AND case_id IN (SELECT id FROM calls WHERE customer_id = ?1)"
        ),
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
    store.vacuum(crate::domain::account::Action::ManageAccounts)?;
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
    /// Stopped by its progress callback before the end: what `report` says is done and whole,
    /// the rest is left for the next purge (which is due at once, see [`purge_due`]).
    pub stopped: bool,
}

/// The share of [`purge_everywhere`]'s progress (out of [`PURGE_STEPS`]) reached when the
/// pre-purge backup is made, and when the database is anonymised; the scrub of the file and of
/// the backups is the rest.
const PURGE_BACKUP_DONE: u64 = 200;
const PURGE_ROWS_DONE: u64 = 900;
const PURGE_SCRUBBED: u64 = 950;
/// The steps of [`purge_everywhere`]'s progress.
pub const PURGE_STEPS: u64 = 1000;

/// `done` of `total` as a share of the steps from `from` to `to`.
fn share(from: u64, to: u64, p: Progress) -> Progress {
    let part = (to - from)
        .saturating_mul(p.done.min(p.total))
        .checked_div(p.total)
        .unwrap_or(0);
    Progress {
        done: from + part,
        total: PURGE_STEPS,
    }
}

/// The purge with everything around it, for `frontdesk purge` and the app's automatic purge:
///
/// 1. a pre-purge backup in `backup_folder` (refused, and nothing purged, when the disk is too
///    full), followed by the `rotation`;
/// 2. [`purge_in_chunks`] with the retention from the settings, as the store's actor;
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
/// `progress` hears the rows anonymised so far and how far the whole is (out of
/// [`PURGE_STEPS`]) after each step of the backup, each transaction of the purge and before
/// each backup rewritten. When it breaks during the backup or the purge, the work stops there
/// with `stopped` set: a pre-purge backup not finished is removed; rows anonymised stay
/// anonymised; the scrub of the file and the backups is left to the next purge, which is due at
/// once. Once the database is anonymised, the scrubs are not stopped: the purged data must not
/// outlive the purge in a backup.
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
    progress: OnPurgeProgress<'_>,
) -> Result<PurgeEverywhere> {
    store.actor().require(Action::ManageAccounts)?;
    let retention = retention(store.db())?;
    let stopped = |report: PurgeReport, pre_purge: Option<PathBuf>| PurgeEverywhere {
        report,
        pre_purge,
        stopped: true,
        ..PurgeEverywhere::default()
    };
    let all_done = Progress {
        done: PURGE_STEPS,
        total: PURGE_STEPS,
    };
    if store.is_server() {
        return Ok(match purge_rows(store, now, retention, 0, progress)? {
            Ok(report) => {
                let _ = progress(&report, all_done);
                PurgeEverywhere {
                    report,
                    ..PurgeEverywhere::default()
                }
            }
            Err(so_far) => stopped(so_far, None),
        });
    }
    let pre_purge =
        match store.backup_into(backup_folder, now, Kind::PrePurge, rotation, &mut |p| {
            progress(&PurgeReport::default(), share(0, PURGE_BACKUP_DONE, p))
        }) {
            Err(StoreError::Stopped) => return Ok(stopped(PurgeReport::default(), None)),
            made => made?,
        };
    let mut report = match purge_rows(store, now, retention, PURGE_BACKUP_DONE, progress)? {
        Ok(report) => report,
        Err(so_far) => return Ok(stopped(so_far, Some(pre_purge))),
    };
    let scrubbed = scrub_files(store);
    let removed = remove_old_backups(backup_folder, now, retention);
    report.backups = *removed.as_ref().unwrap_or(&0);
    let cleared = Cleared::read(store.db())?;
    let mut rewritten = 0;
    let mut failed: Vec<(PathBuf, String)> = Vec::new();
    let copies = copies_of(store, backup_folder, anchor_dir)?;
    let steps = u64::try_from(copies.len()).unwrap_or(u64::MAX);
    for (i, copy) in copies.iter().enumerate() {
        // Not stopped here: the purged data must not outlive the purge in a backup.
        let done = u64::try_from(i).unwrap_or(u64::MAX);
        let _ = progress(
            &report,
            share(PURGE_SCRUBBED, PURGE_STEPS, Progress { done, total: steps }),
        );
        match scrub_copy(copy, &cleared, now, retention) {
            Ok(true) => rewritten += 1,
            Ok(false) => {}
            Err(e) => failed.push((copy.clone(), e.to_string())),
        }
    }
    let _ = progress(&report, all_done);
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
        stopped: false,
    })
}

/// The purge in chunks of [`purge_everywhere`], its progress from `from` to [`PURGE_ROWS_DONE`]:
/// what it anonymised, or what it had when it was stopped.
fn purge_rows(
    store: &mut Store,
    now: NaiveDateTime,
    retention: Retention,
    from: u64,
    progress: OnPurgeProgress<'_>,
) -> Result<std::result::Result<PurgeReport, PurgeReport>> {
    let mut so_far = PurgeReport::default();
    let done = purge_in_chunks(store, now, retention, PURGE_CHUNK_IDS, &mut |report, p| {
        so_far = *report;
        progress(report, share(from, PURGE_ROWS_DONE, p))
    })?;
    Ok(done.ok_or(so_far))
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

/// The rows of each [`FOLLOWED`] kind the database has anonymised: (id, fingerprint of the
/// creation time), sorted. Sixteen bytes a row: a ten-year database has about a million.
struct Cleared([Vec<(i64, u64)>; 4]);

/// A row's creation time as [`Cleared`] keeps it: a hash (the same time gives the same hash
/// within one run, which is all the comparison needs).
fn time_fingerprint(time: &str) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let mut h = std::hash::DefaultHasher::new();
    time.hash(&mut h);
    h.finish()
}

impl Cleared {
    fn read(db: Db<'_>) -> Result<Self> {
        let mut sets: [Vec<(i64, u64)>; 4] = Default::default();
        for (set, f) in sets.iter_mut().zip(&FOLLOWED) {
            db.query_each(
                &format!("SELECT id, {} FROM {} WHERE {}", f.time, f.table, f.cleared),
                db_params![],
                |r| {
                    let time: String = r.get(1)?;
                    set.push((r.get(0)?, time_fingerprint(&time)));
                    Ok(())
                },
            )?;
        }
        Ok(Self::sorted(sets))
    }

    fn sorted(mut sets: [Vec<(i64, u64)>; 4]) -> Self {
        for set in &mut sets {
            set.sort_unstable();
            set.dedup();
            set.shrink_to_fit();
        }
        Self(sets)
    }

    /// The ids, per [`FOLLOWED`] kind, of rows the database has anonymised that the file behind
    /// `conn` still has with personal details.
    fn still_in(&self, conn: &Connection) -> Result<[Vec<i64>; 4]> {
        let mut found: [Vec<i64>; 4] = Default::default();
        self.each_still_in(conn, &mut |kind, id| {
            found[kind].push(id);
            ControlFlow::Continue(())
        })?;
        Ok(found)
    }

    /// Whether the file behind `conn` still has any row the database has anonymised.
    fn any_still_in(&self, conn: &Connection) -> Result<bool> {
        let mut any = false;
        self.each_still_in(conn, &mut |_, _| {
            any = true;
            ControlFlow::Break(())
        })?;
        Ok(any)
    }

    /// Calls `found` with the [`FOLLOWED`] kind and the id of each row of the file behind `conn`
    /// that the database has anonymised and the file has not, until it breaks.
    fn each_still_in(
        &self,
        conn: &Connection,
        found: &mut dyn FnMut(usize, i64) -> ControlFlow<()>,
    ) -> Result<()> {
        for (kind, (set, f)) in self.0.iter().zip(&FOLLOWED).enumerate() {
            if set.is_empty() || !super::table_exists(conn, f.table)? {
                continue;
            }
            let mut stmt = conn.prepare(&format!(
                "SELECT id, {} FROM {} WHERE {}",
                f.time, f.table, f.personal
            ))?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let id: i64 = row.get(0)?;
                let time: String = row.get(1)?;
                if set.binary_search(&(id, time_fingerprint(&time))).is_ok()
                    && found(kind, id).is_break()
                {
                    return Ok(());
                }
            }
        }
        Ok(())
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
    let witnessed = {
        let conn = super::read_connection(path)?;
        if !cleared.any_still_in(&conn)? && !purge_due(&conn, now, retention)? {
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
        if noted { None } else { seal::head(&conn)? }
    };
    // No anchor directory: the database's anchor is not this file's business.
    let mut copy = Store::open(path)?;
    copy.set_actor(Actor::system());
    let written = scrub_open_copy(&mut copy, cleared, witnessed.as_ref(), now, retention);
    // Back to one self-contained file even when the write failed.
    let vacuumed = match &written {
        Ok(_) => copy.vacuum(Action::ManageAccounts),
        Err(_) => Ok(()),
    };
    let compacted = copy.maintain(Action::ManageAccounts, |_| {
        let conn = copy.sqlite()?;
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
    vacuumed?;
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

/// The scrub of the backup open as `copy` (see [`scrub_copy`]), in several transactions of its
/// own: the note of the head it was made with (`witnessed`, unless noted before), the purge in
/// chunks, then what the database anonymised beyond that (erasures on request).
fn scrub_open_copy(
    copy: &mut Store,
    cleared: &Cleared,
    witnessed: Option<&seal::Head>,
    now: NaiveDateTime,
    retention: Retention,
) -> Result<()> {
    if let Some(head) = witnessed {
        copy.write_as(Action::ManageAccounts, |tx| {
            tx.execute(
                "INSERT INTO seal_notes (kind, entry, hash, at, note) VALUES ('copied_from', ?1, ?2, ?3, 'purge')",
                db_params![head.entry, head.hash, ts(now)],
            )?;
            Ok(())
        })?;
    }
    purge_in_chunks(copy, now, retention, PURGE_CHUNK_IDS, &mut |_, _| {
        ControlFlow::Continue(())
    })?;
    // Looked for after the purge: what is left are rows the database anonymised sooner (an
    // erasure on request), usually few.
    let still = cleared.still_in(copy.sqlite()?)?;
    if still.iter().any(|ids| !ids.is_empty()) {
        copy.write_as(Action::ManageAccounts, |tx| {
            follow_database(tx, &still, now)
        })?;
    }
    Ok(())
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

    /// The totals of an unfinished purge read back as they were written.
    #[test]
    fn purge_totals_read_back() {
        let report = PurgeReport {
            visits: 905_844,
            calls: 3,
            customers: 0,
            waybills: 7,
            backups: 0,
        };
        let line = report.totals_line();
        assert_eq!(line, "visits 905844, calls 3, customers 0, waybills 7");
        assert_eq!(PurgeReport::from_totals_line(&line), report);
        assert_eq!(
            PurgeReport::from_totals_line("calls 2"),
            PurgeReport {
                calls: 2,
                ..PurgeReport::default()
            }
        );
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
            let fingerprints = |rows: Vec<(i64, String)>| {
                rows.into_iter()
                    .map(|(id, time)| (id, time_fingerprint(&time)))
                    .collect()
            };
            Cleared::sorted([
                fingerprints(customers),
                fingerprints(visits),
                vec![],
                vec![],
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
        assert!(same.any_still_in(store.sqlite().unwrap()).unwrap());
        assert!(!other_rows.any_still_in(store.sqlite().unwrap()).unwrap());
        // Nothing is old enough to purge yet; a year later the visit is.
        let r = Retention::default();
        assert!(!purge_due(store.db(), arrived, r).unwrap());
        assert!(purge_due(store.db(), arrived + Duration::days(400), r).unwrap());
    }
}
