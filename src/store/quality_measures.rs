//! The improvement measures agreed for a month's most failed checklist items and their reviews
//! (supervisor data: callers use `Store::write_as(Action::Inspect, …)` and
//! `Store::read_as(Action::ReadSupervisorData, …)`).

use chrono::NaiveDateTime;

use super::db::{Db, Row};
use super::{Result, audit};
use crate::db_params;
use crate::domain::quality::{MeasureDraft, QualityMeasure};

const COLUMNS: &str = "id, month, item, cause, measure, owner, owner_staff_id, due, created_at, \
                       reviewed_at, effective, review_note";

fn measure_of(r: &Row<'_>) -> Result<QualityMeasure> {
    Ok(QualityMeasure {
        id: r.get(0)?,
        month: r.get(1)?,
        item: r.get(2)?,
        cause: r.get(3)?,
        measure: r.get(4)?,
        owner: r.get(5)?,
        owner_staff_id: r.get(6)?,
        due: r.get(7)?,
        created_at: r.get(8)?,
        reviewed_at: r.get(9)?,
        effective: r.get(10)?,
        review_note: r.get(11)?,
    })
}

/// Saves the measure of (month, item): a new one, or changes to the one saved before (its
/// review, if any, stays). Returns its id.
pub fn save<'a>(
    db: impl Into<Db<'a>>,
    draft: &MeasureDraft,
    created_by: Option<i64>,
    now: NaiveDateTime,
) -> Result<i64> {
    let db = db.into();
    let d = draft.checked()?;
    let before: Option<String> = db.query_opt(
        "SELECT cause || ' / ' || measure || ' / ' || owner || ' / ' || due FROM quality_measures
         WHERE month = ?1 AND item = ?2",
        db_params![d.month, d.item],
        |r| r.get(0),
    )?;
    let id: i64 = db.query_value(
        "INSERT INTO quality_measures (month, item, cause, measure, owner, owner_staff_id, due, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (month, item) DO UPDATE SET cause = excluded.cause, measure = excluded.measure,
             owner = excluded.owner, owner_staff_id = excluded.owner_staff_id, due = excluded.due
         RETURNING id",
        db_params![
            d.month,
            d.item,
            d.cause,
            d.measure,
            d.owner,
            d.owner_staff_id,
            d.due,
            now,
            created_by
        ],
    )?;
    audit::record(
        db,
        now,
        if before.is_some() { "update" } else { "create" },
        "quality_measure",
        Some(id),
        before.as_deref().unwrap_or(""),
        &format!(
            "{} {}: {} / {} / {} / {}",
            d.month, d.item, d.cause, d.measure, d.owner, d.due
        ),
    )?;
    Ok(id)
}

/// Records whether measure `id` worked, with a note, at `now` (a later review replaces it).
pub fn review<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    effective: bool,
    note: &str,
    now: NaiveDateTime,
) -> Result<()> {
    let db = db.into();
    let note = crate::domain::validation::multi_line(
        "qm.review_note",
        note,
        crate::domain::quality::MAX_TEXT_CHARS,
    )?;
    let before: Option<Option<bool>> = db.query_opt(
        "SELECT effective FROM quality_measures WHERE id = ?1",
        db_params![id],
        |r| r.get(0),
    )?;
    let Some(before) = before else {
        return Err(super::StoreError::NotFound);
    };
    db.execute(
        "UPDATE quality_measures SET reviewed_at = ?2, effective = ?3, review_note = ?4 WHERE id = ?1",
        db_params![id, now, effective, note],
    )?;
    let word = |e: Option<bool>| match e {
        Some(true) => "effective",
        Some(false) => "not effective",
        None => "",
    };
    audit::record(
        db,
        now,
        "review",
        "quality_measure",
        Some(id),
        word(before),
        &format!("{} {note}", word(Some(effective))),
    )
}

/// The measures of `month` (`YYYY-MM`), in the order they were first saved.
pub fn of_month<'a>(db: impl Into<Db<'a>>, month: &str) -> Result<Vec<QualityMeasure>> {
    db.into().query_map(
        &format!("SELECT {COLUMNS} FROM quality_measures WHERE month = ?1 ORDER BY id"),
        db_params![month],
        measure_of,
    )
}
