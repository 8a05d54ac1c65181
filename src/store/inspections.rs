//! Inspections, templates, rectifications and rewards/penalties (supervisor data: callers use
//! `Store::write_as(Action::Inspect | Action::RewardPenalty, …)` and `Store::read_as(…)`).

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension as _, Transaction, params};

use super::{Result, StoreError, audit, parse_ts, parse_ts_opt, ts};
use crate::domain::inspection::{
    self, CheckedItem, Inspection, ItemResult, Rectification, RectificationOrder, RewardPenalty,
    TargetKind,
};

pub use crate::domain::inspection::Template;

fn date(s: &str) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Active templates with their items.
pub fn templates(conn: &Connection) -> Result<Vec<Template>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, builtin FROM inspection_templates WHERE active = 1 ORDER BY id",
    )?;
    let heads: Vec<(i64, String, bool)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut items = conn.prepare_cached(
        "SELECT text FROM inspection_template_items WHERE template_id = ?1 ORDER BY position, id",
    )?;
    heads
        .into_iter()
        .map(|(id, name, builtin)| {
            let list = items
                .query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(Template {
                id,
                name,
                builtin,
                items: list,
            })
        })
        .collect()
}

/// Saves a template: a new one (`id` 0, e.g. a copy) or changes to an existing non-built-in one.
/// Inspections already done keep their own copies of the items.
pub fn save_template(tx: &Transaction<'_>, t: &Template, now: NaiveDateTime) -> Result<i64> {
    let t = t.checked()?;
    let id = if t.id == 0 {
        tx.execute(
            "INSERT INTO inspection_templates (name, builtin, created_at) VALUES (?1, 0, ?2)",
            params![t.name, ts(now)],
        )?;
        tx.last_insert_rowid()
    } else {
        let builtin: bool = tx
            .query_row(
                "SELECT builtin FROM inspection_templates WHERE id = ?1",
                [t.id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(StoreError::NotFound)?;
        inspection::check_template_editable(builtin)?;
        tx.execute(
            "UPDATE inspection_templates SET name = ?2 WHERE id = ?1",
            params![t.id, t.name],
        )?;
        tx.execute(
            "DELETE FROM inspection_template_items WHERE template_id = ?1",
            [t.id],
        )?;
        t.id
    };
    for (i, text) in t.items.iter().enumerate() {
        tx.execute(
            "INSERT INTO inspection_template_items (template_id, position, text) VALUES (?1, ?2, ?3)",
            params![id, i64::try_from(i).unwrap_or(0), text],
        )?;
    }
    audit::record(tx, now, "save", "template", Some(id), "", &t.audit_line())?;
    Ok(id)
}

/// Saves an inspection with its items (and photos). Returns its id.
pub fn create(
    tx: &Transaction<'_>,
    i: &Inspection,
    inspector_id: Option<i64>,
    template_id: Option<i64>,
) -> Result<i64> {
    i.validate()?;
    tx.execute(
        "INSERT INTO inspections (at, inspector_id, inspector, target_kind, target, staff_id, template_id, template_name, remark)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![ts(i.at), inspector_id, i.inspector, i.target_kind.code(), i.target.trim(), i.staff_id, template_id, i.template_name, i.remark.trim()],
    )?;
    let id = tx.last_insert_rowid();
    for (pos, item) in i.items.iter().enumerate() {
        let (photo_name, photo) = item
            .photo
            .clone()
            .map_or((String::new(), None), |(n, b)| (n, Some(b)));
        tx.execute(
            "INSERT INTO inspection_items (inspection_id, position, text, result, note, photo, photo_name) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id, i64::try_from(pos).unwrap_or(0), item.text, item.result.code(), item.note.trim(), photo, photo_name],
        )?;
    }
    audit::record(
        tx,
        i.at,
        "create",
        "inspection",
        Some(id),
        "",
        &i.audit_line(),
    )?;
    Ok(id)
}

/// One inspection with items (photos included).
pub fn get(conn: &Connection, id: i64) -> Result<Inspection> {
    let mut i = conn
        .query_row(
            "SELECT id, at, inspector, target_kind, target, staff_id, template_name, remark FROM inspections WHERE id = ?1",
            [id],
            |r| {
                let kind: String = r.get(3)?;
                Ok(Inspection {
                    id: r.get(0)?,
                    at: parse_ts(&r.get::<_, String>(1)?)?,
                    inspector: r.get(2)?,
                    target_kind: TargetKind::from_code(&kind),
                    target: r.get(4)?,
                    staff_id: r.get(5)?,
                    template_name: r.get(6)?,
                    items: Vec::new(),
                    remark: r.get(7)?,
                })
            },
        )
        .optional()?
        .ok_or(StoreError::NotFound)?;
    let mut stmt = conn.prepare_cached("SELECT id, text, result, note, photo_name, photo FROM inspection_items WHERE inspection_id = ?1 ORDER BY position")?;
    i.items = stmt
        .query_map([id], |r| {
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
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(i)
}

/// Inspections done in `[from, to)`, newest first, with items (without photos).
pub fn between(
    conn: &Connection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<Inspection>> {
    let ids: Vec<i64> = conn
        .prepare_cached(
            "SELECT id FROM inspections WHERE at >= ?1 AND at < ?2 ORDER BY at DESC, id DESC",
        )?
        .query_map(params![ts(from), ts(to)], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.into_iter()
        .map(|id| {
            let mut i = get(conn, id)?;
            for item in &mut i.items {
                item.photo = item.photo.take().map(|(n, _)| (n, Vec::new()));
            }
            Ok(i)
        })
        .collect()
}

/// Raises a rectification from a failed item.
pub fn raise_rectification(
    tx: &Transaction<'_>,
    item_id: i64,
    owner: &str,
    owner_staff_id: Option<i64>,
    requirement: &str,
    due: NaiveDate,
    now: NaiveDateTime,
) -> Result<i64> {
    let result: String = tx
        .query_row(
            "SELECT result FROM inspection_items WHERE id = ?1",
            [item_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(StoreError::NotFound)?;
    let order =
        RectificationOrder::new(ItemResult::from_code(&result), owner, requirement, due, now)?;
    tx.execute(
        "INSERT INTO rectifications (inspection_item_id, owner_staff_id, owner, requirement, due, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![item_id, owner_staff_id, order.owner, order.requirement, order.due.format("%Y-%m-%d").to_string(), ts(now)],
    )?;
    let id = tx.last_insert_rowid();
    audit::record(
        tx,
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
pub fn verify(
    tx: &Transaction<'_>,
    id: i64,
    by: &str,
    passed: bool,
    note: &str,
    now: NaiveDateTime,
) -> Result<()> {
    let before: Option<bool> = tx
        .query_row(
            "SELECT verified_pass FROM rectifications WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(StoreError::NotFound)?;
    inspection::check_verification(before)?;
    tx.execute(
        "UPDATE rectifications SET verified_at = ?2, verified_by = ?3, verified_pass = ?4, verify_note = ?5 WHERE id = ?1",
        params![id, ts(now), by, passed, note.trim()],
    )?;
    let (audit_before, audit_after) = inspection::verification_audit(before, passed, note);
    audit::record(
        tx,
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
pub fn rectifications(conn: &Connection, now: NaiveDateTime) -> Result<Vec<Rectification>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, r.inspection_item_id, i.text, r.owner, r.requirement, r.due, r.verified_at, r.verified_by, r.verified_pass, r.verify_note
         FROM rectifications r JOIN inspection_items i ON i.id = r.inspection_item_id
         WHERE r.verified_pass IS NOT 1 OR r.verified_at >= ?1
         ORDER BY r.verified_pass IS 1, r.due, r.id",
    )?;
    let since = now - chrono::Duration::days(inspection::RECENTLY_VERIFIED_DAYS);
    let rows = stmt.query_map([ts(since)], |r| {
        Ok(Rectification {
            id: r.get(0)?,
            item_id: r.get(1)?,
            item_text: r.get(2)?,
            owner: r.get(3)?,
            requirement: r.get(4)?,
            due: date(&r.get::<_, String>(5)?)?,
            verified_at: parse_ts_opt(r.get(6)?)?,
            verified_by: r.get(7)?,
            verified_pass: r.get(8)?,
            verify_note: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Adds a reward or penalty.
pub fn add_reward_penalty(
    tx: &Transaction<'_>,
    rp: &RewardPenalty,
    now: NaiveDateTime,
) -> Result<i64> {
    let rp = rp.checked()?;
    let by: String = tx
        .query_row("SELECT name FROM temp.session_actor", [], |r| r.get(0))
        .optional()?
        .unwrap_or_default();
    tx.execute(
        "INSERT INTO rewards_penalties (staff_id, kind, amount_fen, reason, on_date, inspection_id, complaint_id, claim_id, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            rp.staff_id,
            rp.kind_code(),
            rp.amount_fen,
            rp.reason,
            rp.on.format("%Y-%m-%d").to_string(),
            rp.inspection_id,
            rp.complaint_id,
            rp.claim_id,
            ts(now),
            by
        ],
    )?;
    let id = tx.last_insert_rowid();
    audit::record(
        tx,
        now,
        "create",
        "reward_penalty",
        Some(id),
        "",
        &rp.audit_line(),
    )?;
    Ok(id)
}

/// Rewards and penalties dated in `[from, to)`.
pub fn rewards_between(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<RewardPenalty>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, staff_id, kind, amount_fen, reason, on_date, inspection_id, complaint_id, claim_id
         FROM rewards_penalties WHERE on_date >= ?1 AND on_date < ?2 ORDER BY on_date, id",
    )?;
    let rows = stmt.query_map(
        params![
            from.format("%Y-%m-%d").to_string(),
            to.format("%Y-%m-%d").to_string()
        ],
        |r| {
            let kind: String = r.get(2)?;
            Ok(RewardPenalty {
                id: r.get(0)?,
                staff_id: r.get(1)?,
                reward: RewardPenalty::is_reward_code(&kind),
                amount_fen: r.get(3)?,
                reason: r.get(4)?,
                on: date(&r.get::<_, String>(5)?)?,
                inspection_id: r.get(6)?,
                complaint_id: r.get(7)?,
                claim_id: r.get(8)?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
