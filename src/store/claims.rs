//! Claims: the file, liability split, money, insurer, evidence and the append-only timeline.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension as _, Row, Transaction, params};

use super::{Result, StoreError, parse_ts, ts};
use crate::domain::claim::{self, Claim, ClaimStatus, ClaimType, InsurerStatus, Party, PartyRole};
use crate::domain::evidence::{self, EvidenceKind};
use crate::domain::money::Fen;
use crate::domain::validation;

pub use crate::domain::claim::Insurer;

const COLUMNS: &str = "id, reported_at, waybill, customer_id, customer_name, phone, incident_date,
    incident_place, branch, claim_type, cause, description, claimed_fen, agreed_fen, paid_fen, status,
    reject_reason, insurer, policy_no, insurer_case_no, insurer_status, recovered_fen, call_id,
    complaint_id, visit_id";

fn date(s: &str) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Claim> {
    let s = |name: &str| -> rusqlite::Result<String> { r.get(name) };
    Ok(Claim {
        id: r.get("id")?,
        reported_at: parse_ts(&s("reported_at")?)?,
        waybill: s("waybill")?,
        customer_id: r.get("customer_id")?,
        customer_name: s("customer_name")?,
        phone: s("phone")?,
        incident_date: Some(date(&s("incident_date")?)?),
        incident_place: s("incident_place")?,
        branch: s("branch")?,
        claim_type: ClaimType::parse(&s("claim_type")?),
        cause: s("cause")?,
        description: s("description")?,
        claimed_fen: r.get("claimed_fen")?,
        agreed_fen: r.get("agreed_fen")?,
        paid_fen: r.get("paid_fen")?,
        status: ClaimStatus::parse(&s("status")?),
        reject_reason: s("reject_reason")?,
        insurer: s("insurer")?,
        policy_no: s("policy_no")?,
        insurer_case_no: s("insurer_case_no")?,
        insurer_status: InsurerStatus::parse(&s("insurer_status")?),
        recovered_fen: r.get("recovered_fen")?,
        call_id: r.get("call_id")?,
        complaint_id: r.get("complaint_id")?,
        visit_id: r.get("visit_id")?,
        parties: Vec::new(),
    })
}

fn parties(conn: &Connection, id: i64) -> Result<Vec<Party>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, staff_id, name, role, share_bp, notified_on FROM claim_parties WHERE claim_id = ?1 ORDER BY position, id",
    )?;
    let rows = stmt.query_map([id], |r| {
        let role: String = r.get(3)?;
        let notified: Option<String> = r.get(5)?;
        Ok(Party {
            id: r.get(0)?,
            staff_id: r.get(1)?,
            name: r.get(2)?,
            role: PartyRole::parse(&role),
            share_bp: r.get(4)?,
            notified_on: notified.as_deref().map(date).transpose()?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One claim with its parties.
pub fn get(conn: &Connection, id: i64) -> Result<Claim> {
    let mut c = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM claims WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or(StoreError::NotFound)?;
    c.parties = parties(conn, id)?;
    Ok(c)
}

fn event(
    tx: &Transaction<'_>,
    id: i64,
    now: NaiveDateTime,
    staff: Option<i64>,
    kind: &str,
    status: Option<ClaimStatus>,
    detail: &str,
) -> Result<()> {
    tx.prepare_cached("INSERT INTO claim_events (claim_id, at, staff_id, kind, status, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?
        .execute(params![id, ts(now), staff, kind, status.map(ClaimStatus::as_zh), detail])?;
    let after = match status {
        Some(s) => format!("{} {detail}", s.as_zh()),
        None => detail.to_owned(),
    };
    super::audit::record(tx, now, kind, "claim", Some(id), "", after.trim())
}

/// The claim reported from call `call_id`, if any.
pub fn claim_for_call(conn: &Connection, call_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT min(id) FROM claims WHERE call_id = ?1")?
        .query_row([call_id], |r| r.get(0))?)
}

/// The claim reported from complaint `complaint_id`, if any.
pub fn claim_for_complaint(conn: &Connection, complaint_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT min(id) FROM claims WHERE complaint_id = ?1")?
        .query_row([complaint_id], |r| r.get(0))?)
}

/// Registers a claim (报案). Returns its id.
///
/// A call or a complaint becomes at most one claim: a second claim from the same one is refused
/// with the number of the claim that exists. The check runs inside the write transaction (an
/// IMMEDIATE one, see [`super::Store::write`]), so two desks cannot both get through.
pub fn create(tx: &Transaction<'_>, c: &Claim, staff: Option<i64>) -> Result<i64> {
    let for_call = match c.call_id {
        Some(call_id) => claim_for_call(tx, call_id)?,
        None => None,
    };
    let for_complaint = match c.complaint_id {
        Some(complaint_id) => claim_for_complaint(tx, complaint_id)?,
        None => None,
    };
    claim::check_source_unclaimed(for_call, for_complaint)?;
    let customer_id = match c.customer_id {
        Some(id) => Some(id),
        None => super::customers::by_phone(tx, &c.phone)?.map(|x| x.id),
    };
    tx.execute(
        "INSERT INTO claims (reported_at, waybill, customer_id, customer_name, phone, incident_date, incident_place,
            branch, claim_type, cause, description, claimed_fen, status, insurer_status, call_id, complaint_id,
            visit_id, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?17, ?18, ?13, ?14, ?15, ?16)",
        params![
            ts(c.reported_at),
            c.waybill,
            customer_id,
            c.customer_name,
            c.phone,
            c.incident_date.map(|d| d.format("%Y-%m-%d").to_string()),
            c.incident_place,
            c.branch,
            c.claim_type.map(ClaimType::as_zh),
            c.cause,
            c.description,
            c.claimed_fen,
            c.call_id,
            c.complaint_id,
            c.visit_id,
            staff,
            ClaimStatus::Reported.as_zh(),
            InsurerStatus::NotReported.as_zh(),
        ],
    )?;
    let id = tx.last_insert_rowid();
    event(
        tx,
        id,
        c.reported_at,
        staff,
        "status",
        Some(ClaimStatus::Reported),
        &c.reported_detail(),
    )?;
    Ok(id)
}

/// Moves the claim to `to`; no step can be skipped, 拒赔 needs a reason.
pub fn move_status(
    tx: &Transaction<'_>,
    id: i64,
    to: ClaimStatus,
    reason: &str,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let mut c = get(tx, id)?;
    let detail = c.move_to(to, reason)?;
    tx.execute(
        "UPDATE claims SET status = ?2, reject_reason = ?3 WHERE id = ?1",
        params![id, to.as_zh(), c.reject_reason],
    )?;
    event(tx, id, now, staff, "status", Some(to), &detail)
}

/// Replaces the liability split (only before liability is set).
pub fn set_parties(
    tx: &Transaction<'_>,
    id: i64,
    parties: &[Party],
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let mut c = get(tx, id)?;
    let detail = c.set_parties(parties)?;
    tx.execute("DELETE FROM claim_parties WHERE claim_id = ?1", [id])?;
    for (i, p) in c.parties.iter().enumerate() {
        tx.execute(
            "INSERT INTO claim_parties (claim_id, position, staff_id, name, role, share_bp, notified_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id, i64::try_from(i).unwrap_or(0), p.staff_id, p.name, p.role.map(PartyRole::as_zh), p.share_bp, p.notified_on.map(|d| d.format("%Y-%m-%d").to_string())],
        )?;
    }
    event(tx, id, now, staff, "parties", None, &detail)
}

/// Records when a party was told what it owes.
pub fn notify_party(
    tx: &Transaction<'_>,
    party_id: i64,
    on: NaiveDate,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let (claim_id, name): (i64, String) = tx
        .query_row(
            "SELECT claim_id, name FROM claim_parties WHERE id = ?1",
            [party_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or(StoreError::NotFound)?;
    get(tx, claim_id)?.check_notify(on, now)?;
    tx.execute(
        "UPDATE claim_parties SET notified_on = ?2 WHERE id = ?1",
        params![party_id, on.format("%Y-%m-%d").to_string()],
    )?;
    event(
        tx,
        claim_id,
        now,
        staff,
        "notified",
        None,
        &claim::notified_detail(&name, on),
    )
}

/// Sets the agreed amount (while liability is set) or the paid amount (once agreed).
pub fn set_money(
    tx: &Transaction<'_>,
    id: i64,
    agreed: Option<Fen>,
    paid: Option<Fen>,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let mut c = get(tx, id)?;
    let Some(detail) = c.set_money(agreed, paid)? else {
        return Ok(());
    };
    tx.execute(
        "UPDATE claims SET agreed_fen = ?2, paid_fen = ?3 WHERE id = ?1",
        params![id, c.agreed_fen, c.paid_fen],
    )?;
    event(tx, id, now, staff, "money", None, &detail)
}

/// Updates the insurer's side.
pub fn set_insurer(
    tx: &Transaction<'_>,
    id: i64,
    i: &Insurer,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    get(tx, id)?;
    let saved = i.normalized();
    tx.execute(
        "UPDATE claims SET insurer = ?2, policy_no = ?3, insurer_case_no = ?4, insurer_status = ?5, recovered_fen = ?6 WHERE id = ?1",
        params![id, saved.name, saved.policy_no, saved.case_no, saved.status.map(InsurerStatus::as_zh), saved.recovered_fen],
    )?;
    event(tx, id, now, staff, "insurer", None, &i.timeline_detail())
}

/// Adds an investigation note (append-only).
pub fn add_note(
    tx: &Transaction<'_>,
    id: i64,
    text: &str,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let text = validation::non_blank("claim.note", text)?;
    get(tx, id)?;
    event(tx, id, now, staff, "note", None, &text)
}

/// An evidence file without its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileMeta {
    /// Database id.
    pub id: i64,
    /// File name.
    pub name: String,
    /// Image or PDF.
    pub kind: EvidenceKind,
    /// Size in bytes.
    pub size: i64,
    /// When added.
    pub added_at: NaiveDateTime,
}

/// Stores an evidence file with the claim after checking it. Returns its id.
pub fn add_file(
    tx: &Transaction<'_>,
    id: i64,
    name: &str,
    bytes: &[u8],
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<i64> {
    let kind = evidence::check(bytes)?;
    get(tx, id)?;
    tx.execute(
        "INSERT INTO claim_files (claim_id, name, kind, size, data, added_at, added_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![id, name, kind.code(), i64::try_from(bytes.len()).unwrap_or(i64::MAX), bytes, ts(now), staff],
    )?;
    let file_id = tx.last_insert_rowid();
    event(tx, id, now, staff, "evidence", None, name)?;
    Ok(file_id)
}

/// The claim's evidence files (without bytes).
pub fn files(conn: &Connection, id: i64) -> Result<Vec<FileMeta>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, kind, size, added_at FROM claim_files WHERE claim_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([id], |r| {
        let kind: String = r.get(2)?;
        Ok(FileMeta {
            id: r.get(0)?,
            name: r.get(1)?,
            kind: EvidenceKind::from_code(&kind),
            size: r.get(3)?,
            added_at: parse_ts(&r.get::<_, String>(4)?)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One evidence file's bytes.
pub fn file_data(conn: &Connection, file_id: i64) -> Result<Vec<u8>> {
    conn.query_row(
        "SELECT data FROM claim_files WHERE id = ?1",
        [file_id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or(StoreError::NotFound)
}

/// One entry of a claim's timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// When.
    pub at: NaiveDateTime,
    /// Who.
    pub staff_id: Option<i64>,
    /// `status`, `note`, `parties`, `money`, `insurer`, `evidence`, `notified`.
    pub kind: String,
    /// New status for status changes.
    pub status: Option<ClaimStatus>,
    /// Details.
    pub detail: String,
}

/// The timeline, oldest first.
pub fn events(conn: &Connection, id: i64) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare_cached("SELECT at, staff_id, kind, status, detail FROM claim_events WHERE claim_id = ?1 ORDER BY id")?;
    let rows = stmt.query_map([id], |r| {
        let status: Option<String> = r.get(3)?;
        Ok(Event {
            at: parse_ts(&r.get::<_, String>(0)?)?,
            staff_id: r.get(1)?,
            kind: r.get(2)?,
            status: status.as_deref().and_then(ClaimStatus::parse),
            detail: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Filter of the claims list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClaimFilter {
    /// Status.
    pub status: Option<ClaimStatus>,
    /// Reported in this month, `YYYY-MM`.
    pub month: Option<String>,
    /// Type.
    pub claim_type: Option<ClaimType>,
    /// Branch contains.
    pub branch: String,
    /// Complaint it came from.
    pub complaint_id: Option<i64>,
}

impl ClaimFilter {
    fn sql(&self) -> (String, Vec<String>) {
        let mut clauses = vec!["1 = 1".to_owned()];
        let mut args: Vec<String> = Vec::new();
        let mut push = |clause: &str, value: String| {
            args.push(value);
            clauses.push(clause.replace('?', &format!("?{}", args.len())));
        };
        if let Some(s) = self.status {
            push("status = ?", s.as_zh().to_owned());
        }
        if let Some(m) = &self.month {
            push("substr(reported_at, 1, 7) = ?", m.clone());
        }
        if let Some(t) = self.claim_type {
            push("claim_type = ?", t.as_zh().to_owned());
        }
        if !self.branch.trim().is_empty() {
            push(
                "branch LIKE ?",
                format!("%{}%", self.branch.trim().replace(['%', '_'], "")),
            );
        }
        if let Some(c) = self.complaint_id {
            push("complaint_id = CAST(? AS INTEGER)", c.to_string());
        }
        (clauses.join(" AND "), args)
    }
}

/// Totals of a list of claims.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Claims.
    pub claims: i64,
    /// Claimed.
    pub claimed_fen: Fen,
    /// Agreed.
    pub agreed_fen: Fen,
    /// Paid.
    pub paid_fen: Fen,
    /// Recovered.
    pub recovered_fen: Fen,
}

/// Claims matching `filter`, newest first (at most `limit`), and the totals of all that match.
pub fn list(conn: &Connection, filter: &ClaimFilter, limit: i64) -> Result<(Vec<Claim>, Totals)> {
    let (clause, mut args) = filter.sql();
    let totals = conn
        .prepare_cached(&format!(
            "SELECT count(*), coalesce(sum(claimed_fen), 0), coalesce(sum(agreed_fen), 0), coalesce(sum(paid_fen), 0),
                    coalesce(sum(recovered_fen), 0) FROM claims WHERE {clause}"
        ))?
        .query_row(rusqlite::params_from_iter(args.iter()), |r| {
            Ok(Totals { claims: r.get(0)?, claimed_fen: r.get(1)?, agreed_fen: r.get(2)?, paid_fen: r.get(3)?, recovered_fen: r.get(4)? })
        })?;
    args.push(limit.to_string());
    let n = args.len();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM claims WHERE {clause} ORDER BY reported_at DESC, id DESC LIMIT CAST(?{n} AS INTEGER)"
    ))?;
    let rows: Vec<Claim> = stmt
        .query_map(rusqlite::params_from_iter(args.iter()), from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok((rows, totals))
}

/// Claims reported in `[from, to)` with their parties, for the monthly report.
pub fn reported_between(
    conn: &Connection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<Claim>> {
    let ids: Vec<i64> = conn
        .prepare_cached("SELECT id FROM claims WHERE reported_at >= ?1 AND reported_at < ?2 ORDER BY reported_at, id")?
        .query_map(params![ts(from), ts(to)], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.into_iter().map(|id| get(conn, id)).collect()
}

/// Claims still open, oldest first (for the age buckets of the report).
pub fn open_claims(conn: &Connection) -> Result<Vec<Claim>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM claims WHERE status NOT IN ('已结案', '拒赔') ORDER BY reported_at"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The causes offered, in order.
pub fn causes(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare_cached("SELECT name FROM claim_causes WHERE active = 1 ORDER BY position, name")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Replaces the causes offered.
pub fn set_causes(tx: &Transaction<'_>, names: &[String]) -> Result<()> {
    tx.execute("UPDATE claim_causes SET active = 0", [])?;
    for (i, name) in validation::list_entries(names).into_iter().enumerate() {
        tx.execute(
            "INSERT INTO claim_causes (name, position, active) VALUES (?1, ?2, 1)
             ON CONFLICT (name) DO UPDATE SET position = excluded.position, active = 1",
            params![name, i64::try_from(i).unwrap_or(0)],
        )?;
    }
    Ok(())
}

/// The month's analysis text (事故原因分析), `month` like `2026-11`.
pub fn month_analysis(conn: &Connection, month: &str) -> Result<String> {
    Ok(conn
        .query_row(
            "SELECT analysis FROM claim_months WHERE month = ?1",
            [month],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_default())
}

/// Saves the month's analysis text.
pub fn save_month_analysis(
    tx: &Transaction<'_>,
    month: &str,
    text: &str,
    now: NaiveDateTime,
) -> Result<()> {
    tx.execute(
        "INSERT INTO claim_months (month, analysis, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (month) DO UPDATE SET analysis = excluded.analysis, updated_at = excluded.updated_at",
        params![month, text.trim(), ts(now)],
    )?;
    Ok(())
}
