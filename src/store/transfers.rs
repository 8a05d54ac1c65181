//! Case transfers (首问负责制, 一跟到底): a complaint, a claim or a call handed by its owner to a
//! colleague or a department, accepted, answered and confirmed back; and each person's cases.
//! Every step is in the audit trail (who and when, not what the reason or outcome said: free
//! text that can name the customer, which the purge and an erase on request clear from the
//! transfers); the cases' screens show the transfers in their timelines.

use chrono::NaiveDateTime;

use super::Result;
use super::db::{Db, Row};
use crate::db_params;
use crate::domain::DomainError;
use crate::domain::transfer::{self, CaseKind, Transfer};
use crate::domain::validation;

const COLUMNS: &str = "id, case_kind, case_id, at, from_staff_id, to_staff_id, department, reason,
    accepted_at, accepted_by, outcome, outcome_at, confirmed_at";

fn from_row(r: &Row<'_>) -> Result<Transfer> {
    let kind: String = r.get(1)?;
    Ok(Transfer {
        id: r.get(0)?,
        kind: CaseKind::from_code(&kind),
        case_id: r.get(2)?,
        at: r.get(3)?,
        from_staff_id: r.get(4)?,
        to_staff_id: r.get(5)?,
        department: r.get(6)?,
        reason: r.get(7)?,
        accepted_at: r.get(8)?,
        accepted_by: r.get(9)?,
        outcome: r.get(10)?,
        outcome_at: r.get(11)?,
        confirmed_at: r.get(12)?,
    })
}

/// Transfer `id`.
pub fn get<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<Transfer> {
    db.into().query_row(
        &format!("SELECT {COLUMNS} FROM case_transfers WHERE id = ?1"),
        db_params![id],
        from_row,
    )
}

/// The owner of case `id` of `kind`: who took it first (a complaint's receiver, a claim's
/// reporter, a call's answerer). Refuses a case that does not exist.
pub fn owner<'a>(db: impl Into<Db<'a>>, kind: CaseKind, id: i64) -> Result<Option<i64>> {
    let sql = match kind {
        CaseKind::Complaint => "SELECT received_by FROM complaints WHERE id = ?1",
        CaseKind::Claim => "SELECT created_by FROM claims WHERE id = ?1",
        CaseKind::Call => "SELECT staff_id FROM calls WHERE id = ?1",
    };
    db.into()
        .query_opt(sql, db_params![id], |r| r.get::<Option<i64>>(0))?
        .ok_or_else(|| DomainError::WrongState("err.case_not_found").into())
}

/// Hands case `id` of `kind` from `from` (its owner, or whoever stands in for them) to a
/// colleague or a department, with the reason; refused while an earlier transfer of the case is
/// not confirmed, and for a call that is not a case (neither escalated nor to follow up).
#[expect(clippy::too_many_arguments, reason = "one transfer's fields")]
pub fn send<'a>(
    db: impl Into<Db<'a>>,
    kind: CaseKind,
    id: i64,
    from: Option<i64>,
    to_staff: Option<i64>,
    department: &str,
    reason: &str,
    now: NaiveDateTime,
) -> Result<i64> {
    let db = db.into();
    owner(db, kind, id)?;
    if kind == CaseKind::Call && !super::calls::get(db, id)?.is_case() {
        return Err(DomainError::WrongState("err.call_not_case").into());
    }
    let department =
        validation::single_line("transfer.department", department, validation::LABEL_MAX)?;
    let reason = validation::multi_line("transfer.reason", reason, validation::NOTES_MAX)?;
    transfer::check_new(from, to_staff, &department, &reason)?;
    let open: i64 = db.query_value(
        "SELECT count(*) FROM case_transfers
         WHERE case_kind = ?1 AND case_id = ?2 AND confirmed_at IS NULL",
        db_params![kind.code(), id],
    )?;
    if open > 0 {
        return Err(DomainError::WrongState("err.transfer_open").into());
    }
    let tid: i64 = db.query_value(
        "INSERT INTO case_transfers (case_kind, case_id, at, from_staff_id, to_staff_id, department,
             reason, desk)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, (SELECT desk FROM session_actor))
         RETURNING id",
        db_params![kind.code(), id, now, from, to_staff, department, reason],
    )?;
    let to = match to_staff {
        Some(staff) => db
            .query_opt(
                "SELECT name FROM staff WHERE id = ?1",
                db_params![staff],
                |r| r.get::<String>(0),
            )?
            .ok_or(DomainError::Invalid {
                field: "transfer.to",
                reason: "err.required",
            })?,
        None => department,
    };
    super::audit::record(
        db,
        now,
        "transfer",
        kind.code(),
        Some(id),
        "",
        &format!("→ {to}"),
    )?;
    Ok(tid)
}

/// The receiver (or, for a department, whoever records it) accepts transfer `id`.
pub fn accept<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    by: Option<i64>,
    now: NaiveDateTime,
) -> Result<()> {
    let db = db.into();
    let t = get(db, id)?;
    t.check_accept(by)?;
    db.execute(
        "UPDATE case_transfers SET accepted_at = ?2, accepted_by = ?3 WHERE id = ?1",
        db_params![id, now, by],
    )?;
    audit(db, &t, now, "transfer_accepted", "")
}

/// The receiver reports the outcome of transfer `id` (again, until the owner confirms it).
pub fn answer<'a>(db: impl Into<Db<'a>>, id: i64, outcome: &str, now: NaiveDateTime) -> Result<()> {
    let db = db.into();
    let t = get(db, id)?;
    t.check_outcome()?;
    let outcome = validation::multi_line("transfer.outcome", outcome, validation::NOTES_MAX)?;
    if outcome.is_empty() {
        return Err(DomainError::Invalid {
            field: "transfer.outcome",
            reason: "err.required",
        }
        .into());
    }
    db.execute(
        "UPDATE case_transfers SET outcome = ?2, outcome_at = ?3 WHERE id = ?1",
        db_params![id, outcome, now],
    )?;
    audit(db, &t, now, "transfer_answered", "")
}

/// The owner confirms the outcome of transfer `id`: the transfer is done.
pub fn confirm<'a>(db: impl Into<Db<'a>>, id: i64, now: NaiveDateTime) -> Result<()> {
    let db = db.into();
    let t = get(db, id)?;
    t.check_confirm()?;
    db.execute(
        "UPDATE case_transfers SET confirmed_at = ?2 WHERE id = ?1",
        db_params![id, now],
    )?;
    audit(db, &t, now, "transfer_confirmed", "")
}

fn audit(db: Db<'_>, t: &Transfer, now: NaiveDateTime, action: &str, after: &str) -> Result<()> {
    let kind = t.kind.map_or("case", CaseKind::code);
    super::audit::record(db, now, action, kind, Some(t.case_id), "", after)
}

/// The transfers of case `id` of `kind`, oldest first.
pub fn of_case<'a>(db: impl Into<Db<'a>>, kind: CaseKind, id: i64) -> Result<Vec<Transfer>> {
    db.into().query_map(
        &format!(
            "SELECT {COLUMNS} FROM case_transfers WHERE case_kind = ?1 AND case_id = ?2
             ORDER BY at, id"
        ),
        db_params![kind.code(), id],
        from_row,
    )
}

/// A case someone owns and has not closed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnedCase {
    /// What it is.
    pub kind: CaseKind,
    /// Its number.
    pub id: i64,
    /// When it was taken.
    pub at: NaiveDateTime,
    /// One line about it.
    pub summary: String,
}

/// One person's cases: what they own and have not closed, what was handed to them and is not
/// confirmed, and what they handed over and wait on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MyCases {
    /// Complaints and claims they took, still open (newest first, at most 200).
    pub owned: Vec<OwnedCase>,
    /// Transfers to them, not confirmed yet.
    pub to_me: Vec<Transfer>,
    /// Transfers from them, not confirmed yet.
    pub waiting_on: Vec<Transfer>,
    /// For a supervisor: every transfer not confirmed yet.
    pub all_open: Vec<Transfer>,
    /// Waybill change requests they recorded, not confirmed back to the customer yet (they
    /// follow them up).
    pub waybills: Vec<crate::domain::waybill::WaybillChange>,
}

/// The cases of staff member `staff`, and every open transfer when `all` (a supervisor).
pub fn my_cases<'a>(db: impl Into<Db<'a>>, staff: i64, all: bool) -> Result<MyCases> {
    let db = db.into();
    let unconfirmed = |column: &str| {
        format!(
            "SELECT {COLUMNS} FROM case_transfers WHERE {column} = ?1 AND confirmed_at IS NULL
             ORDER BY at, id"
        )
    };
    let to_me = db.query_map(&unconfirmed("to_staff_id"), db_params![staff], from_row)?;
    let waiting_on = db.query_map(&unconfirmed("from_staff_id"), db_params![staff], from_row)?;
    let mut owned = db.query_map(
        "SELECT id, received_at, category || ' · ' || customer_name FROM complaints
         WHERE received_by = ?1 AND status IN ('受理', '处理中', '等待客户')
         ORDER BY received_at DESC, id DESC LIMIT 200",
        db_params![staff],
        |r| {
            Ok(OwnedCase {
                kind: CaseKind::Complaint,
                id: r.get(0)?,
                at: r.get(1)?,
                summary: r.get(2)?,
            })
        },
    )?;
    owned.extend(db.query_map(
        "SELECT id, reported_at, waybill || ' · ' || customer_name FROM claims
         WHERE created_by = ?1 AND status IN ('报案', '调查中', '已定责', '已协商')
         ORDER BY reported_at DESC, id DESC LIMIT 200",
        db_params![staff],
        |r| {
            Ok(OwnedCase {
                kind: CaseKind::Claim,
                id: r.get(0)?,
                at: r.get(1)?,
                summary: r.get(2)?,
            })
        },
    )?);
    owned.sort_by_key(|c| std::cmp::Reverse(c.at));
    let all_open = if all { open(db)? } else { Vec::new() };
    Ok(MyCases {
        owned,
        to_me,
        waiting_on,
        all_open,
        waybills: super::waybill_changes::open_recorded_by(db, staff)?,
    })
}

/// Every transfer not confirmed yet, oldest first (the supervisors' view of late ones).
pub fn open<'a>(db: impl Into<Db<'a>>) -> Result<Vec<Transfer>> {
    db.into().query_map(
        &format!("SELECT {COLUMNS} FROM case_transfers WHERE confirmed_at IS NULL ORDER BY at, id"),
        db_params![],
        from_row,
    )
}
