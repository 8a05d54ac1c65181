//! Inspections, templates, rectifications and rewards/penalties (supervisor data: callers use
//! `Store::write_as(Action::Inspect | Action::RewardPenalty, …)` and `Store::read_as(…)`).

use chrono::{NaiveDate, NaiveDateTime};

use super::db::{Db, Row};
use super::{Result, audit};
use crate::db_params;
use crate::domain::inspection::{
    self, CheckedItem, Inspection, ItemResult, Rectification, RectificationOrder, RewardPenalty,
    TargetKind,
};

pub use crate::domain::inspection::Template;

/// Active templates with their items.
pub fn templates<'a>(db: impl Into<Db<'a>>) -> Result<Vec<Template>> {
    let db = db.into();
    let heads: Vec<(i64, String, bool)> = db.query_map(
        "SELECT id, name, builtin FROM inspection_templates WHERE active = 1 ORDER BY id",
        db_params![],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    heads
        .into_iter()
        .map(|(id, name, builtin)| {
            let items = db.query_map(
                "SELECT text FROM inspection_template_items WHERE template_id = ?1 ORDER BY position, id",
                db_params![id],
                |r| r.get(0),
            )?;
            Ok(Template {
                id,
                name,
                builtin,
                items,
            })
        })
        .collect()
}

/// Saves a template: a new one (`id` 0, e.g. a copy) or changes to an existing non-built-in one.
/// Inspections already done keep their own copies of the items.
pub fn save_template<'a>(db: impl Into<Db<'a>>, t: &Template, now: NaiveDateTime) -> Result<i64> {
    let db = db.into();
    let t = t.checked()?;
    let id = if t.id == 0 {
        db.query_value(
            "INSERT INTO inspection_templates (name, builtin, created_at) VALUES (?1, 0, ?2) RETURNING id",
            db_params![t.name, now],
        )?
    } else {
        let builtin: bool = db.query_value(
            "SELECT builtin FROM inspection_templates WHERE id = ?1",
            db_params![t.id],
        )?;
        inspection::check_template_editable(builtin)?;
        db.execute(
            "UPDATE inspection_templates SET name = ?2 WHERE id = ?1",
            db_params![t.id, t.name],
        )?;
        db.execute(
            "DELETE FROM inspection_template_items WHERE template_id = ?1",
            db_params![t.id],
        )?;
        t.id
    };
    for (i, text) in t.items.iter().enumerate() {
        db.execute(
            "INSERT INTO inspection_template_items (template_id, position, text) VALUES (?1, ?2, ?3)",
            db_params![id, i64::try_from(i).unwrap_or(0), text],
        )?;
    }
    audit::record(db, now, "save", "template", Some(id), "", &t.audit_line())?;
    Ok(id)
}

/// Saves an inspection with its items (and photos). Returns its id.
pub fn create<'a>(
    db: impl Into<Db<'a>>,
    i: &Inspection,
    inspector_id: Option<i64>,
    template_id: Option<i64>,
) -> Result<i64> {
    let db = db.into();
    i.validate()?;
    let id: i64 = db.query_value(
        "INSERT INTO inspections (at, inspector_id, inspector, target_kind, target, staff_id, template_id, template_name, remark)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
        db_params![i.at, inspector_id, i.inspector, i.target_kind.code(), i.target.trim(), i.staff_id, template_id, i.template_name, i.remark.trim()],
    )?;
    for (pos, item) in i.items.iter().enumerate() {
        let (photo_name, photo) = item
            .photo
            .clone()
            .map_or((String::new(), None), |(n, b)| (n, Some(b)));
        db.execute(
            "INSERT INTO inspection_items (inspection_id, position, text, result, note, photo, photo_name) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            db_params![id, i64::try_from(pos).unwrap_or(0), item.text, item.result.code(), item.note.trim(), photo, photo_name],
        )?;
    }
    audit::record(
        db,
        i.at,
        "create",
        "inspection",
        Some(id),
        "",
        &i.audit_line(),
    )?;
    Ok(id)
}

/// The columns [`inspection_from`] reads.
const INSPECTION_COLUMNS: &str =
    "id, at, inspector, target_kind, target, staff_id, template_name, remark";

/// An inspection without its items, from a row of [`INSPECTION_COLUMNS`].
fn inspection_from(r: &Row<'_>) -> Result<Inspection> {
    let kind: String = r.get(3)?;
    Ok(Inspection {
        id: r.get(0)?,
        at: r.get(1)?,
        inspector: r.get(2)?,
        target_kind: TargetKind::from_code(&kind),
        target: r.get(4)?,
        staff_id: r.get(5)?,
        template_name: r.get(6)?,
        items: Vec::new(),
        remark: r.get(7)?,
    })
}

/// One inspection with items (photos included).
pub fn get<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<Inspection> {
    let db = db.into();
    let mut i = db.query_row(
        &format!("SELECT {INSPECTION_COLUMNS} FROM inspections WHERE id = ?1"),
        db_params![id],
        inspection_from,
    )?;
    i.items = db.query_map(
        "SELECT id, text, result, note, photo_name, photo FROM inspection_items WHERE inspection_id = ?1 ORDER BY position",
        db_params![id],
        |r| {
            let result: String = r.get(2)?;
            let photo: Option<Vec<u8>> = r.get(5)?;
            let name: String = r.get(4)?;
            Ok(CheckedItem {
                id: r.get(0)?,
                text: r.get(1)?,
                result: ItemResult::from_code(&result),
                note: r.get(3)?,
                photo: photo.map(|p| (name, p)),
            })
        },
    )?;
    Ok(i)
}

/// Inspections done in `[from, to)`, newest first, with items (a photo's name, not its bytes).
/// Two statements whatever the number of spot checks.
pub fn between<'a>(
    db: impl Into<Db<'a>>,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<Inspection>> {
    let db = db.into();
    let mut list: Vec<Inspection> = db.query_map(
        &format!(
            "SELECT {INSPECTION_COLUMNS} FROM inspections
             WHERE at >= ?1 AND at < ?2 ORDER BY at DESC, id DESC"
        ),
        db_params![from, to],
        inspection_from,
    )?;
    let at: std::collections::HashMap<i64, usize> =
        list.iter().enumerate().map(|(n, i)| (i.id, n)).collect();
    let items: Vec<(i64, CheckedItem)> = db.query_map(
        "SELECT t.inspection_id, t.id, t.text, t.result, t.note, t.photo_name, t.photo IS NOT NULL
         FROM inspection_items t JOIN inspections n ON n.id = t.inspection_id
         WHERE n.at >= ?1 AND n.at < ?2 ORDER BY t.inspection_id, t.position",
        db_params![from, to],
        |r| {
            let result: String = r.get(3)?;
            let has_photo: bool = r.get(6)?;
            let name: String = r.get(5)?;
            Ok((
                r.get(0)?,
                CheckedItem {
                    id: r.get(1)?,
                    text: r.get(2)?,
                    result: ItemResult::from_code(&result),
                    note: r.get(4)?,
                    photo: has_photo.then(|| (name, Vec::new())),
                },
            ))
        },
    )?;
    for (inspection, item) in items {
        if let Some(&n) = at.get(&inspection) {
            list[n].items.push(item);
        }
    }
    Ok(list)
}

/// Raises a rectification from a failed item.
pub fn raise_rectification<'a>(
    db: impl Into<Db<'a>>,
    item_id: i64,
    owner: &str,
    owner_staff_id: Option<i64>,
    requirement: &str,
    due: NaiveDate,
    now: NaiveDateTime,
) -> Result<i64> {
    let db = db.into();
    let result: String = db.query_value(
        "SELECT result FROM inspection_items WHERE id = ?1",
        db_params![item_id],
    )?;
    let order =
        RectificationOrder::new(ItemResult::from_code(&result), owner, requirement, due, now)?;
    let id: i64 = db.query_value(
        "INSERT INTO rectifications (inspection_item_id, owner_staff_id, owner, requirement, due, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         RETURNING id",
        db_params![item_id, owner_staff_id, order.owner, order.requirement, order.due, now],
    )?;
    audit::record(
        db,
        now,
        "raise",
        "rectification",
        Some(id),
        "",
        &order.audit_line(),
    )?;
    Ok(id)
}

/// Records the verification of a rectification.
pub fn verify<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    by: &str,
    passed: bool,
    note: &str,
    now: NaiveDateTime,
) -> Result<()> {
    let db = db.into();
    let before: Option<bool> = db.query_value(
        "SELECT verified_pass FROM rectifications WHERE id = ?1",
        db_params![id],
    )?;
    inspection::check_verification(before)?;
    db.execute(
        "UPDATE rectifications SET verified_at = ?2, verified_by = ?3, verified_pass = ?4, verify_note = ?5 WHERE id = ?1",
        db_params![id, now, by, passed, note.trim()],
    )?;
    let (audit_before, audit_after) = inspection::verification_audit(before, passed, note);
    audit::record(
        db,
        now,
        "verify",
        "rectification",
        Some(id),
        &audit_before,
        &audit_after,
    )
}

/// All rectifications not yet verified as passed (oldest due first), and those verified in the
/// last [`inspection::RECENTLY_VERIFIED_DAYS`] days.
pub fn rectifications<'a>(db: impl Into<Db<'a>>, now: NaiveDateTime) -> Result<Vec<Rectification>> {
    let since = now - chrono::Duration::days(inspection::RECENTLY_VERIFIED_DAYS);
    db.into().query_map(
        &format!(
            "SELECT {RECTIFICATION_COLUMNS}
             FROM rectifications r JOIN inspection_items i ON i.id = r.inspection_item_id
             WHERE r.verified_pass IS DISTINCT FROM 1 OR r.verified_at >= ?1
             ORDER BY r.verified_pass IS NOT DISTINCT FROM 1, r.due, r.id"
        ),
        db_params![since],
        rectification_from,
    )
}

/// A rectification from a row of [`RECTIFICATION_COLUMNS`].
fn rectification_from(r: &super::db::Row<'_>) -> Result<Rectification> {
    Ok(Rectification {
        id: r.get(0)?,
        item_id: r.get(1)?,
        item_text: r.get(2)?,
        owner: r.get(3)?,
        requirement: r.get(4)?,
        due: r.get(5)?,
        verified_at: r.get(6)?,
        verified_by: r.get(7)?,
        verified_pass: r.get(8)?,
        verify_note: r.get(9)?,
    })
}

/// The columns [`rectification_from`] reads (`r`: rectifications, `i`: their items).
const RECTIFICATION_COLUMNS: &str = "r.id, r.inspection_item_id, i.text, r.owner, r.requirement, \
     r.due, r.verified_at, r.verified_by, r.verified_pass, r.verify_note";

/// The rectifications raised on the items of inspection `inspection_id`, in the order of its
/// items (its printed sheet).
pub fn rectifications_of<'a>(
    db: impl Into<Db<'a>>,
    inspection_id: i64,
) -> Result<Vec<Rectification>> {
    db.into().query_map(
        &format!(
            "SELECT {RECTIFICATION_COLUMNS}
             FROM inspection_items i JOIN rectifications r ON r.inspection_item_id = i.id
             WHERE i.inspection_id = ?1
             ORDER BY i.position, r.id"
        ),
        db_params![inspection_id],
        rectification_from,
    )
}

/// Adds a reward or penalty. One given for a day's attendance must be the same staff member's
/// and not dated before that day.
pub fn add_reward_penalty<'a>(
    db: impl Into<Db<'a>>,
    rp: &RewardPenalty,
    now: NaiveDateTime,
) -> Result<i64> {
    let db = db.into();
    let rp = rp.checked()?;
    if let Some(attendance_id) = rp.attendance_id {
        let day =
            super::attendance::by_id(db, attendance_id)?.ok_or(super::StoreError::NotFound)?;
        rp.check_attendance(&day)?;
    }
    // The acting user, from the connection's TEMP table (see `audit::set_actor`).
    let by: String = db
        .query_opt("SELECT name FROM session_actor", db_params![], |r| r.get(0))?
        .unwrap_or_default();
    let id: i64 = db.query_value(
        "INSERT INTO rewards_penalties (staff_id, kind, amount_fen, reason, on_date, inspection_id, complaint_id, claim_id, attendance_id, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
        db_params![
            rp.staff_id,
            rp.kind_code(),
            rp.amount_fen,
            rp.reason,
            rp.on,
            rp.inspection_id,
            rp.complaint_id,
            rp.claim_id,
            rp.attendance_id,
            now,
            by
        ],
    )?;
    audit::record(
        db,
        now,
        "create",
        "reward_penalty",
        Some(id),
        "",
        &rp.audit_line(),
    )?;
    Ok(id)
}

/// The columns [`reward_from`] reads (`r`: rewards_penalties, `a`: the day of attendance it
/// links to, if any).
const REWARD_COLUMNS: &str = "r.id, r.staff_id, r.kind, r.amount_fen, r.reason, r.on_date, \
     r.inspection_id, r.complaint_id, r.claim_id, r.attendance_id, \
     a.id, a.staff_id, a.day, a.signed_in_at, a.signed_out_at, a.desk";

/// A reward or penalty from a row of [`REWARD_COLUMNS`].
fn reward_from(r: &Row<'_>) -> Result<RewardPenalty> {
    let kind: String = r.get(2)?;
    let attendance_id: Option<i64> = r.get(9)?;
    let attendance = match r.get::<Option<i64>>(10)? {
        Some(_) => Some(super::attendance::from_row_at(r, 10)?),
        None => None,
    };
    Ok(RewardPenalty {
        id: r.get(0)?,
        staff_id: r.get(1)?,
        reward: RewardPenalty::is_reward_code(&kind),
        amount_fen: r.get(3)?,
        reason: r.get(4)?,
        on: r.get(5)?,
        inspection_id: r.get(6)?,
        complaint_id: r.get(7)?,
        claim_id: r.get(8)?,
        attendance_id,
        attendance,
    })
}

/// Rewards and penalties dated in `[from, to)`, each with the day of attendance it was given
/// for, if any.
pub fn rewards_between<'a>(
    db: impl Into<Db<'a>>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<RewardPenalty>> {
    db.into().query_map(
        &format!(
            "SELECT {REWARD_COLUMNS}
             FROM rewards_penalties r LEFT JOIN attendance a ON a.id = r.attendance_id
             WHERE r.on_date >= ?1 AND r.on_date < ?2 ORDER BY r.on_date, r.id"
        ),
        db_params![from, to],
        reward_from,
    )
}

/// The rewards and penalties given for the days of attendance in `[from, to)`, in the order
/// they were dated. Read through their dates: one given for a day is not dated before it (see
/// [`add_reward_penalty`]).
pub fn rewards_for_attendance<'a>(
    db: impl Into<Db<'a>>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<RewardPenalty>> {
    db.into().query_map(
        &format!(
            "SELECT {REWARD_COLUMNS}
             FROM rewards_penalties r JOIN attendance a ON a.id = r.attendance_id
             WHERE r.on_date >= ?1 AND a.day >= ?1 AND a.day < ?2
             ORDER BY r.on_date, r.id"
        ),
        db_params![from, to],
        reward_from,
    )
}
