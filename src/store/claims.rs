//! Claims: the file, liability split, money, insurer, evidence and the append-only timeline.

use chrono::{NaiveDate, NaiveDateTime};

use super::Result;
use super::db::{Db, Row, ToValue, Value};
use crate::db_params;
use crate::domain::claim::{self, Claim, ClaimStatus, ClaimType, InsurerStatus, Party, PartyRole};
use crate::domain::evidence::{self, EvidenceKind};
use crate::domain::money::Fen;
use crate::domain::validation;

pub use crate::domain::claim::Insurer;

const COLUMNS: &str = "id, reported_at, waybill, customer_id, customer_name, phone, incident_date,
    incident_place, branch, claim_type, cause, description, claimed_fen, agreed_fen, paid_fen, status,
    reject_reason, insurer, policy_no, insurer_case_no, insurer_status, recovered_fen, call_id,
    complaint_id, visit_id, settle_by, major, settled_directly";

/// A claim (without parties) from the columns of [`COLUMNS`], in that order.
fn from_row(r: &Row<'_>) -> Result<Claim> {
    let s = |i: usize| -> Result<String> { r.get(i) };
    Ok(Claim {
        id: r.get(0)?,
        reported_at: r.get(1)?,
        waybill: s(2)?,
        customer_id: r.get(3)?,
        customer_name: s(4)?,
        phone: s(5)?,
        incident_date: Some(r.get(6)?),
        incident_place: s(7)?,
        branch: s(8)?,
        claim_type: ClaimType::parse(&s(9)?),
        cause: s(10)?,
        description: s(11)?,
        claimed_fen: r.get(12)?,
        agreed_fen: r.get(13)?,
        paid_fen: r.get(14)?,
        status: ClaimStatus::parse(&s(15)?),
        reject_reason: s(16)?,
        insurer: s(17)?,
        policy_no: s(18)?,
        insurer_case_no: s(19)?,
        insurer_status: InsurerStatus::parse(&s(20)?),
        recovered_fen: r.get(21)?,
        call_id: r.get(22)?,
        complaint_id: r.get(23)?,
        visit_id: r.get(24)?,
        parties: Vec::new(),
        settle_by: r.get(25)?,
        major: r.get::<Option<i64>>(26)? == Some(1),
        settled_directly: r.get::<Option<i64>>(27)? == Some(1),
    })
}

fn parties(db: Db<'_>, id: i64) -> Result<Vec<Party>> {
    db.query_map(
        "SELECT id, staff_id, name, role, share_bp, notified_on FROM claim_parties WHERE claim_id = ?1 ORDER BY position, id",
        db_params![id],
        |r| {
            let role: String = r.get(3)?;
            Ok(Party {
                id: r.get(0)?,
                staff_id: r.get(1)?,
                name: r.get(2)?,
                role: PartyRole::parse(&role),
                share_bp: r.get(4)?,
                notified_on: r.get(5)?,
            })
        },
    )
}

/// One claim with its parties.
pub fn get<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<Claim> {
    let db = db.into();
    let mut c = db.query_row(
        &format!("SELECT {COLUMNS} FROM claims WHERE id = ?1"),
        db_params![id],
        from_row,
    )?;
    c.parties = parties(db, id)?;
    Ok(c)
}

fn event(
    db: Db<'_>,
    id: i64,
    now: NaiveDateTime,
    staff: Option<i64>,
    kind: &str,
    status: Option<ClaimStatus>,
    detail: &str,
) -> Result<()> {
    db.execute(
        "INSERT INTO claim_events (claim_id, at, staff_id, kind, status, detail, desk)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, (SELECT desk FROM session_actor))",
        db_params![id, now, staff, kind, status.map(ClaimStatus::as_zh), detail],
    )?;
    let after = match status {
        Some(s) => format!("{} {detail}", s.as_zh()),
        None => detail.to_owned(),
    };
    super::audit::record(db, now, kind, "claim", Some(id), "", after.trim())
}

/// The claim reported from call `call_id`, if any.
pub fn claim_for_call<'a>(db: impl Into<Db<'a>>, call_id: i64) -> Result<Option<i64>> {
    db.into().query_value(
        "SELECT min(id) FROM claims WHERE call_id = ?1",
        db_params![call_id],
    )
}

/// The claims reported from the calls `call_ids`: call id → the claim's id, for calls that have
/// one (a page of the call list in one statement, not one per call).
pub fn claims_for_calls<'a>(
    db: impl Into<Db<'a>>,
    call_ids: &[i64],
) -> Result<std::collections::HashMap<i64, i64>> {
    let db = db.into();
    let mut found = std::collections::HashMap::new();
    for chunk in call_ids.chunks(super::IDS_PER_QUERY) {
        let (places, padded) = super::id_list(chunk);
        let params: Vec<&dyn super::db::ToValue> = padded
            .iter()
            .map(|id| id as &dyn super::db::ToValue)
            .collect();
        db.query_each(
            &format!(
                "SELECT call_id, min(id) FROM claims WHERE call_id IN ({places}) GROUP BY call_id"
            ),
            &params,
            |r| {
                found.insert(r.get(0)?, r.get(1)?);
                Ok(())
            },
        )?;
    }
    Ok(found)
}

/// The claim reported from complaint `complaint_id`, if any.
pub fn claim_for_complaint<'a>(db: impl Into<Db<'a>>, complaint_id: i64) -> Result<Option<i64>> {
    db.into().query_value(
        "SELECT min(id) FROM claims WHERE complaint_id = ?1",
        db_params![complaint_id],
    )
}

/// Registers a claim (报案). Returns its id.
///
/// A call or a complaint becomes at most one claim: a second claim from the same one is refused
/// with the number of the claim that exists. The check runs inside the write transaction (an
/// IMMEDIATE one, see [`super::Store::write`]), so two desks cannot both get through.
pub fn create<'a>(db: impl Into<Db<'a>>, c: &Claim, staff: Option<i64>) -> Result<i64> {
    let db = db.into();
    let for_call = match c.call_id {
        Some(call_id) => claim_for_call(db, call_id)?,
        None => None,
    };
    let for_complaint = match c.complaint_id {
        Some(complaint_id) => claim_for_complaint(db, complaint_id)?,
        None => None,
    };
    claim::check_source_unclaimed(for_call, for_complaint)?;
    let customer_id = match c.customer_id {
        Some(id) => Some(id),
        None => super::customers::by_phone(db, &c.phone)?.map(|x| x.id),
    };
    let id: i64 = db.query_value(
        "INSERT INTO claims (reported_at, waybill, customer_id, customer_name, phone, incident_date, incident_place,
            branch, claim_type, cause, description, claimed_fen, status, insurer_status, call_id, complaint_id,
            visit_id, created_by, settle_by, major, settled_directly)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?17, ?18, ?13, ?14, ?15, ?16,
            ?19, ?20, ?21)
         RETURNING id",
        db_params![
            c.reported_at,
            c.waybill,
            customer_id,
            c.customer_name,
            c.phone,
            c.incident_date,
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
            c.settle_by,
            i64::from(c.major),
            i64::from(c.settled_directly),
        ],
    )?;
    event(
        db,
        id,
        c.reported_at,
        staff,
        "status",
        Some(ClaimStatus::Reported),
        &c.reported_detail(),
    )?;
    if c.major {
        super::inbox::add(
            db,
            super::inbox::Kind::Claim,
            id,
            c.reported_at,
            &c.inbox_summary(),
        )?;
    }
    Ok(id)
}

/// Moves claim `id`'s settlement deadline to `settle_by`, with the reason in its timeline.
pub fn set_deadline<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    settle_by: NaiveDate,
    reason: &str,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let db = db.into();
    let reason = validation::required_line("claim.deadline_reason", reason, validation::NOTES_MAX)?;
    validation::report_day("claim.settle_by", settle_by)?;
    let c = get(db, id)?;
    if c.is_settled() {
        return Err(crate::domain::DomainError::WrongState("err.claim_settled").into());
    }
    db.execute(
        "UPDATE claims SET settle_by = ?1 WHERE id = ?2",
        db_params![settle_by, id],
    )?;
    let detail = format!("理赔时限改为 {settle_by}:{reason}");
    event(db, id, now, staff, "note", None, &detail)
}

/// Marks claim `id` a major accident (reported to the supervisors' inbox when it becomes one)
/// and as settled directly by a branch, a driver or a loader with the customer, or not.
pub fn set_flags<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    major: bool,
    settled_directly: bool,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let db = db.into();
    let c = get(db, id)?;
    if c.major == major && c.settled_directly == settled_directly {
        return Ok(());
    }
    db.execute(
        "UPDATE claims SET major = ?1, settled_directly = ?2 WHERE id = ?3",
        db_params![i64::from(major), i64::from(settled_directly), id],
    )?;
    if major != c.major {
        let detail = if major {
            "标记为重大事故"
        } else {
            "取消重大事故标记"
        };
        event(db, id, now, staff, "note", None, detail)?;
        if major {
            super::inbox::add(db, super::inbox::Kind::Claim, id, now, &c.inbox_summary())?;
        }
    }
    if settled_directly != c.settled_directly {
        let detail = if settled_directly {
            "标记为分公司/司机/装卸与客户直接处理"
        } else {
            "取消直接处理标记"
        };
        event(db, id, now, staff, "note", None, detail)?;
    }
    Ok(())
}

/// Moves the claim to `to`; no step can be skipped, 拒赔 needs a reason.
pub fn move_status<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    to: ClaimStatus,
    reason: &str,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let db = db.into();
    let mut c = get(db, id)?;
    let detail = c.move_to(to, reason)?;
    db.execute(
        "UPDATE claims SET status = ?2, reject_reason = ?3 WHERE id = ?1",
        db_params![id, to.as_zh(), c.reject_reason],
    )?;
    event(db, id, now, staff, "status", Some(to), &detail)
}

/// Replaces the liability split (only before liability is set).
pub fn set_parties<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    parties: &[Party],
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let db = db.into();
    let mut c = get(db, id)?;
    let detail = c.set_parties(parties)?;
    db.execute(
        "DELETE FROM claim_parties WHERE claim_id = ?1",
        db_params![id],
    )?;
    for (i, p) in c.parties.iter().enumerate() {
        db.execute(
            "INSERT INTO claim_parties (claim_id, position, staff_id, name, role, share_bp, notified_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            db_params![id, i64::try_from(i).unwrap_or(0), p.staff_id, p.name, p.role.map(PartyRole::as_zh), p.share_bp, p.notified_on],
        )?;
    }
    event(db, id, now, staff, "parties", None, &detail)
}

/// Records when a party was told what it owes.
pub fn notify_party<'a>(
    db: impl Into<Db<'a>>,
    party_id: i64,
    on: NaiveDate,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let db = db.into();
    let (claim_id, name): (i64, String) = db.query_row(
        "SELECT claim_id, name FROM claim_parties WHERE id = ?1",
        db_params![party_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    get(db, claim_id)?.check_notify(on, now)?;
    db.execute(
        "UPDATE claim_parties SET notified_on = ?2 WHERE id = ?1",
        db_params![party_id, on],
    )?;
    event(
        db,
        claim_id,
        now,
        staff,
        "notified",
        None,
        &claim::notified_detail(&name, on),
    )
}

/// Sets the agreed amount (while liability is set) or the paid amount (once agreed).
pub fn set_money<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    agreed: Option<Fen>,
    paid: Option<Fen>,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let db = db.into();
    let mut c = get(db, id)?;
    let Some(detail) = c.set_money(agreed, paid)? else {
        return Ok(());
    };
    db.execute(
        "UPDATE claims SET agreed_fen = ?2, paid_fen = ?3 WHERE id = ?1",
        db_params![id, c.agreed_fen, c.paid_fen],
    )?;
    event(db, id, now, staff, "money", None, &detail)
}

/// Updates the insurer's side.
pub fn set_insurer<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    i: &Insurer,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let db = db.into();
    get(db, id)?;
    let saved = i.normalized();
    db.execute(
        "UPDATE claims SET insurer = ?2, policy_no = ?3, insurer_case_no = ?4, insurer_status = ?5, recovered_fen = ?6 WHERE id = ?1",
        db_params![id, saved.name, saved.policy_no, saved.case_no, saved.status.map(InsurerStatus::as_zh), saved.recovered_fen],
    )?;
    event(db, id, now, staff, "insurer", None, &i.timeline_detail())
}

/// Adds an investigation note (append-only).
pub fn add_note<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    text: &str,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let db = db.into();
    let text = validation::non_blank("claim.note", text)?;
    get(db, id)?;
    event(db, id, now, staff, "note", None, &text)
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
pub fn add_file<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    name: &str,
    bytes: &[u8],
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<i64> {
    let db = db.into();
    let kind = evidence::check(bytes)?;
    get(db, id)?;
    let file_id: i64 = db.query_value(
        "INSERT INTO claim_files (claim_id, name, kind, size, data, added_at, added_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         RETURNING id",
        db_params![id, name, kind.code(), i64::try_from(bytes.len()).unwrap_or(i64::MAX), bytes, now, staff],
    )?;
    event(db, id, now, staff, "evidence", None, name)?;
    Ok(file_id)
}

/// The claim's evidence files (without bytes).
pub fn files<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<Vec<FileMeta>> {
    db.into().query_map(
        "SELECT id, name, kind, size, added_at FROM claim_files WHERE claim_id = ?1 ORDER BY id",
        db_params![id],
        |r| {
            let kind: String = r.get(2)?;
            Ok(FileMeta {
                id: r.get(0)?,
                name: r.get(1)?,
                kind: EvidenceKind::from_code(&kind),
                size: r.get(3)?,
                added_at: r.get(4)?,
            })
        },
    )
}

/// One evidence file's bytes.
pub fn file_data<'a>(db: impl Into<Db<'a>>, file_id: i64) -> Result<Vec<u8>> {
    db.into().query_value(
        "SELECT data FROM claim_files WHERE id = ?1",
        db_params![file_id],
    )
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
pub fn events<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<Vec<Event>> {
    db.into().query_map(
        "SELECT at, staff_id, kind, status, detail FROM claim_events WHERE claim_id = ?1 ORDER BY id",
        db_params![id],
        |r| {
            let status: Option<String> = r.get(3)?;
            Ok(Event {
                at: r.get(0)?,
                staff_id: r.get(1)?,
                kind: r.get(2)?,
                status: status.as_deref().and_then(ClaimStatus::parse),
                detail: r.get(4)?,
            })
        },
    )
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
    /// The WHERE clause and its parameters. The branch matches as SQLite's `LIKE` does, on both
    /// backends: ASCII letters in any case, `%` and `_` taken out of the typed text, `!` as the
    /// escape character (PostgreSQL's default is `\`).
    fn sql(&self) -> (String, Vec<Value>) {
        let mut clauses = vec!["1 = 1".to_owned()];
        let mut args: Vec<Value> = Vec::new();
        let mut push = |clause: &str, value: Value| {
            args.push(value);
            clauses.push(clause.replace('?', &format!("?{}", args.len())));
        };
        if let Some(s) = self.status {
            push("status = ?", s.as_zh().to_value());
        }
        if let Some(m) = &self.month {
            // A range of `reported_at`, so the index answers it.
            match crate::report::claims::parse_month(m) {
                Some(first) => {
                    let (from, to) = crate::report::claims::month_bounds(first);
                    push("reported_at >= ?", from.to_value());
                    push("reported_at < ?", to.to_value());
                }
                None => push("substr(reported_at, 1, 7) = ?", m.to_value()),
            }
        }
        if let Some(t) = self.claim_type {
            push("claim_type = ?", t.as_zh().to_value());
        }
        if !self.branch.trim().is_empty() {
            let literal = self
                .branch
                .trim()
                .replace(['%', '_'], "")
                .replace('!', "!!")
                .to_ascii_lowercase();
            push(
                "lower(branch) LIKE ? ESCAPE '!'",
                Value::Text(format!("%{literal}%")),
            );
        }
        if let Some(c) = self.complaint_id {
            push("complaint_id = ?", Value::Int(c));
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

/// The totals of all claims matching `filter` (their count too, for the pager).
pub fn totals<'a>(db: impl Into<Db<'a>>, filter: &ClaimFilter) -> Result<Totals> {
    let (clause, args) = filter.sql();
    let params: Vec<&dyn ToValue> = args.iter().map(|a| a as &dyn ToValue).collect();
    db.into().query_row(
        &format!(
            "SELECT count(*), coalesce(sum(claimed_fen), 0), coalesce(sum(agreed_fen), 0), coalesce(sum(paid_fen), 0),
                    coalesce(sum(recovered_fen), 0) FROM claims WHERE {clause}"
        ),
        &params,
        |r| {
            Ok(Totals {
                claims: r.get(0)?,
                claimed_fen: r.get(1)?,
                agreed_fen: r.get(2)?,
                paid_fen: r.get(3)?,
                recovered_fen: r.get(4)?,
            })
        },
    )
}

/// The page of the claims matching `filter` at `position` (newest reported first, read from
/// the `reported_at` index at the page's first row: [`super::paging`]), and the totals of all
/// that match.
pub fn page_at<'a>(
    db: impl Into<Db<'a>>,
    filter: &ClaimFilter,
    position: super::paging::Position,
    limit: i64,
) -> Result<(super::paging::Page<Claim>, Totals)> {
    let db = db.into();
    let (clause, args) = filter.sql();
    let page = super::paging::page(
        db,
        &super::paging::List {
            table: "claims",
            time: "reported_at",
            columns: COLUMNS,
            clause: &clause,
            args: &args,
            from_row,
            key: |c: &Claim| (c.reported_at, c.id),
        },
        position,
        limit,
    )?;
    Ok((page, totals(db, filter)?))
}

/// One page of the claims matching `filter`, newest first (`limit` from `offset` on), and the
/// totals of all that match. The window pages by position ([`page_at`]); this is the plain
/// reference it is checked against.
pub fn list<'a>(
    db: impl Into<Db<'a>>,
    filter: &ClaimFilter,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Claim>, Totals)> {
    let db = db.into();
    let (clause, mut args) = filter.sql();
    args.push(Value::Int(limit));
    args.push(Value::Int(offset));
    let n = args.len();
    let params: Vec<&dyn ToValue> = args.iter().map(|a| a as &dyn ToValue).collect();
    let rows = db.query_map(
        &format!(
            "SELECT {COLUMNS} FROM claims WHERE {clause} ORDER BY reported_at DESC, id DESC
             LIMIT ?{} OFFSET ?{n}",
            n - 1
        ),
        &params,
        from_row,
    )?;
    Ok((rows, totals(db, filter)?))
}

/// Claims reported in `[from, to)` per day with any, oldest first (the dashboard's weeks).
pub fn reported_per_day<'a>(
    db: impl Into<Db<'a>>,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<(chrono::NaiveDate, i64)>> {
    super::per_day(db.into(), "claims", "reported_at", from, to)
}

/// Claims reported in `[from, to)` with their parties, for the monthly report.
pub fn reported_between<'a>(
    db: impl Into<Db<'a>>,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<Claim>> {
    let db = db.into();
    let ids: Vec<i64> = db.query_map(
        "SELECT id FROM claims WHERE reported_at >= ?1 AND reported_at < ?2 ORDER BY reported_at, id",
        db_params![from, to],
        |r| r.get(0),
    )?;
    ids.into_iter().map(|id| get(db, id)).collect()
}

/// Claims still open, oldest first (for the age buckets of the report).
pub fn open_claims<'a>(db: impl Into<Db<'a>>) -> Result<Vec<Claim>> {
    db.into().query_map(
        &format!(
            "SELECT {COLUMNS} FROM claims
             WHERE status IN ('报案', '调查中', '已定责', '已协商', '已赔付')
             ORDER BY reported_at, id"
        ),
        db_params![],
        from_row,
    )
}

/// The causes offered, in order.
pub fn causes<'a>(db: impl Into<Db<'a>>) -> Result<Vec<String>> {
    db.into().query_map(
        "SELECT name FROM claim_causes WHERE active = 1 ORDER BY position, name",
        db_params![],
        |r| r.get(0),
    )
}

/// Replaces the causes offered.
pub fn set_causes<'a>(db: impl Into<Db<'a>>, names: &[String]) -> Result<()> {
    let db = db.into();
    db.execute("UPDATE claim_causes SET active = 0", db_params![])?;
    for (i, name) in validation::list_entries(names).into_iter().enumerate() {
        db.execute(
            "INSERT INTO claim_causes (name, position, active) VALUES (?1, ?2, 1)
             ON CONFLICT (name) DO UPDATE SET position = excluded.position, active = 1",
            db_params![name, i64::try_from(i).unwrap_or(0)],
        )?;
    }
    Ok(())
}

/// The month's analysis text (事故原因分析), `month` like `2026-11`.
pub fn month_analysis<'a>(db: impl Into<Db<'a>>, month: &str) -> Result<String> {
    Ok(db
        .into()
        .query_opt(
            "SELECT analysis FROM claim_months WHERE month = ?1",
            db_params![month],
            |r| r.get(0),
        )?
        .unwrap_or_default())
}

/// Saves the month's analysis text.
pub fn save_month_analysis<'a>(
    db: impl Into<Db<'a>>,
    month: &str,
    text: &str,
    now: NaiveDateTime,
) -> Result<()> {
    db.into().execute(
        "INSERT INTO claim_months (month, analysis, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (month) DO UPDATE SET analysis = excluded.analysis, updated_at = excluded.updated_at",
        db_params![month, text.trim(), now],
    )?;
    Ok(())
}
