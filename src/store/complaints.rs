//! Complaints and their append-only timeline; major complaints go to the inbox.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension as _, Row, Transaction, params};

use super::{Result, StoreError, calls, inbox, parse_ts, parse_ts_opt, ts, ts_opt};
use crate::domain::complaint::{
    self, AtFault, Channel, Complaint, ComplaintDraft, ReplyChannel, Satisfaction, Severity, Status,
};
use crate::domain::validation::{self, non_blank};

pub use crate::domain::complaint::WeekNotes;

const COLUMNS: &str = "id, received_at, channel, customer_id, customer_name, phone, waybill, category,
    severity, at_fault, content, received_by, status, facts, clarified_at, next_reply_at, recorded_at,
    reported_to, reported_at, satisfaction, call_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Complaint> {
    let s = |name: &str| -> rusqlite::Result<String> { r.get(name) };
    let o = |name: &str| -> rusqlite::Result<Option<String>> { r.get(name) };
    Ok(Complaint {
        id: r.get("id")?,
        received_at: parse_ts(&s("received_at")?)?,
        channel: Channel::parse(&s("channel")?),
        customer_id: r.get("customer_id")?,
        customer_name: s("customer_name")?,
        phone: s("phone")?,
        waybill: s("waybill")?,
        category: s("category")?,
        severity: Severity::parse(&s("severity")?),
        at_fault: AtFault::parse(&s("at_fault")?),
        content: s("content")?,
        received_by: r.get("received_by")?,
        status: Status::parse(&s("status")?),
        facts: s("facts")?,
        clarified_at: parse_ts_opt(o("clarified_at")?)?,
        next_reply_at: parse_ts_opt(o("next_reply_at")?)?,
        recorded_at: parse_ts_opt(o("recorded_at")?)?,
        reported_to: s("reported_to")?,
        reported_at: parse_ts_opt(o("reported_at")?)?,
        satisfaction: o("satisfaction")?.as_deref().and_then(Satisfaction::parse),
        call_id: r.get("call_id")?,
        history: Vec::new(),
        handling_entries: 0,
        replies: 0,
    })
}

/// Fills in the history and step counts from the timeline.
fn with_timeline(conn: &Connection, mut c: Complaint) -> Result<Complaint> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, status FROM complaint_events WHERE complaint_id = ?1 AND kind = 'status' ORDER BY id",
    )?;
    c.history = stmt
        .query_map([c.id], |r| {
            let status: String = r.get(1)?;
            Ok((
                parse_ts(&r.get::<_, String>(0)?)?,
                Status::parse(&status).unwrap_or(Status::Received),
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let (handling, replies): (i64, i64) = conn.prepare_cached(
        "SELECT count(*) FILTER (WHERE kind = 'handling'), count(*) FILTER (WHERE kind = 'reply')
         FROM complaint_events WHERE complaint_id = ?1",
    )?
    .query_row([c.id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    c.handling_entries = handling;
    c.replies = replies;
    Ok(c)
}

/// One complaint with its history.
pub fn get(conn: &Connection, id: i64) -> Result<Complaint> {
    let c = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM complaints WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or(StoreError::NotFound)?;
    with_timeline(conn, c)
}

/// Complaints received in `[from, to)`, oldest first, with their histories.
pub fn received_between(
    conn: &Connection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<Complaint>> {
    let ids: Vec<i64> = conn
        .prepare_cached("SELECT id FROM complaints WHERE received_at >= ?1 AND received_at < ?2 ORDER BY received_at, id")?
        .query_map(params![ts(from), ts(to)], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    many(conn, &ids)
}

/// Loads the complaints `ids` (in that order) with their histories, in three queries.
fn many(conn: &Connection, ids: &[i64]) -> Result<Vec<Complaint>> {
    let json = serde_json::to_string(ids).map_err(|e| StoreError::Io(std::io::Error::other(e)))?;
    let mut by_id: std::collections::HashMap<i64, Complaint> = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM complaints WHERE id IN (SELECT value FROM json_each(?1))"
        ))?
        .query_map([&json], from_row)?
        .map(|c| c.map(|c| (c.id, c)))
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT complaint_id, kind, at, status FROM complaint_events
         WHERE complaint_id IN (SELECT value FROM json_each(?1)) ORDER BY id",
    )?;
    let mut rows = stmt.query([&json])?;
    while let Some(r) = rows.next()? {
        let Some(c) = by_id.get_mut(&r.get::<_, i64>(0)?) else {
            continue;
        };
        match r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)? {
            "status" => {
                let status: String = r.get(3)?;
                c.history.push((
                    parse_ts(&r.get::<_, String>(2)?)?,
                    Status::parse(&status).unwrap_or(Status::Received),
                ));
            }
            "handling" => c.handling_entries += 1,
            "reply" => c.replies += 1,
            _ => {}
        }
    }
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// The complaint list: all open ones, then those closed or answered in the last `recent_days`.
pub fn list(
    conn: &Connection,
    now: NaiveDateTime,
    recent_days: i64,
    text: &str,
) -> Result<Vec<Complaint>> {
    let since = now - chrono::Duration::days(recent_days);
    let like = format!("%{}%", text.trim().replace(['%', '_'], ""));
    let ids: Vec<i64> = conn
        .prepare_cached(
            "SELECT c.id FROM complaints c
             WHERE (c.status NOT IN ('已答复', '已结案')
                    OR EXISTS (SELECT 1 FROM complaint_events e WHERE e.complaint_id = c.id AND e.at >= ?1))
               AND (c.customer_name LIKE ?2 OR c.phone LIKE ?2 OR c.waybill LIKE ?2 OR c.content LIKE ?2
                    OR c.category LIKE ?2)
             ORDER BY c.status IN ('已答复', '已结案'), c.severity = '一般', c.received_at
             LIMIT 500",
        )?
        .query_map(params![ts(since), like], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    many(conn, &ids)
}

/// One entry of a complaint's timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// When.
    pub at: NaiveDateTime,
    /// Who.
    pub staff_id: Option<i64>,
    /// `status`, `clarified`, `handling`, `reply`, `recorded`, `reported`, `edit`.
    pub kind: String,
    /// The new status, for status changes.
    pub status: Option<Status>,
    /// What was done or said.
    pub detail: String,
    /// How a reply reached the customer.
    pub reply_channel: Option<ReplyChannel>,
    /// A promised next-reply time.
    pub next_reply_at: Option<NaiveDateTime>,
}

/// The timeline, oldest first.
pub fn events(conn: &Connection, id: i64) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, staff_id, kind, status, detail, reply_channel, next_reply_at
         FROM complaint_events WHERE complaint_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([id], |r| {
        let status: Option<String> = r.get(3)?;
        let channel: Option<String> = r.get(5)?;
        Ok(Event {
            at: parse_ts(&r.get::<_, String>(0)?)?,
            staff_id: r.get(1)?,
            kind: r.get(2)?,
            status: status.as_deref().and_then(Status::parse),
            detail: r.get(4)?,
            reply_channel: channel.as_deref().and_then(ReplyChannel::parse),
            next_reply_at: parse_ts_opt(r.get(6)?)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn event(
    tx: &Transaction<'_>,
    id: i64,
    now: NaiveDateTime,
    staff: Option<i64>,
    kind: &str,
    status: Option<Status>,
    detail: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO complaint_events (complaint_id, at, staff_id, kind, status, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![id, ts(now), staff, kind, status.map(Status::as_zh), detail])?;
    let after = match status {
        Some(s) => format!("{} {detail}", s.as_zh()),
        None => detail.to_owned(),
    };
    super::audit::record(tx, now, kind, "complaint", Some(id), "", after.trim())
}

/// Registers a complaint (听清楚: the content as told); major ones go to the inbox at once.
/// A complaint made from a call links the call.
pub fn create(
    tx: &Transaction<'_>,
    draft: &ComplaintDraft,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<i64> {
    let d = draft.validate()?;
    let customer_id = match d.customer_id {
        Some(id) => Some(id),
        None => super::customers::by_phone(tx, &d.phone)?.map(|c| c.id),
    };
    tx.execute(
        "INSERT INTO complaints (received_at, channel, customer_id, customer_name, phone, waybill, category,
            severity, at_fault, content, received_by, status, call_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?13, ?12)",
        params![
            ts(now),
            d.channel.map(Channel::as_zh),
            customer_id,
            d.customer_name,
            d.phone,
            d.waybill,
            d.category,
            d.severity.map(Severity::as_zh),
            d.at_fault.map(AtFault::as_zh),
            d.content,
            staff,
            d.call_id,
            Status::Received.as_zh(),
        ],
    )?;
    let id = tx.last_insert_rowid();
    event(tx, id, now, staff, "status", Some(Status::Received), "")?;
    if d.severity.is_some_and(Severity::goes_to_inbox) {
        let summary = complaint::inbox_summary(&d.category, &d.customer_name, &d.content);
        inbox::add(tx, inbox::Kind::Complaint, id, now, &summary)?;
    }
    if let Some(call) = d.call_id {
        calls::link_complaint(tx, call, id)?;
    }
    Ok(id)
}

/// Changes the status (every change dated and attributed); closing records satisfaction.
pub fn set_status(
    tx: &Transaction<'_>,
    id: i64,
    to: Status,
    satisfaction: Option<Satisfaction>,
    note: &str,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let mut c = get(tx, id)?;
    let detail = c.move_to(to, satisfaction, note)?;
    tx.execute(
        "UPDATE complaints SET status = ?2, satisfaction = ?3 WHERE id = ?1",
        params![id, to.as_zh(), c.satisfaction.map(Satisfaction::as_zh)],
    )?;
    event(tx, id, now, staff, "status", Some(to), &detail)
}

/// Moves a new complaint to 处理中 on its first step (the first response), see
/// [`Complaint::first_step`].
fn start_if_new(
    tx: &Transaction<'_>,
    id: i64,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<Complaint> {
    let c = get(tx, id)?;
    if let Some(to) = c.first_step()? {
        set_status(tx, id, to, None, "", now, staff)?;
    }
    Ok(c)
}

/// 问清楚: the facts as clarified with the customer.
pub fn clarify(
    tx: &Transaction<'_>,
    id: i64,
    facts: &str,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let facts = non_blank("complaint.facts", facts)?;
    let mut c = start_if_new(tx, id, now, staff)?;
    c.clarify(&facts, now);
    tx.execute(
        "UPDATE complaints SET facts = ?2, clarified_at = ?3 WHERE id = ?1",
        params![id, c.facts, ts_opt(c.clarified_at)],
    )?;
    event(tx, id, now, staff, "clarified", None, &facts)
}

/// 跟清楚: a handling entry; when it cannot be solved now, the promised next-reply time.
pub fn add_handling(
    tx: &Transaction<'_>,
    id: i64,
    text: &str,
    next_reply_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let text = non_blank("complaint.handling", text)?;
    complaint::check_next_reply(next_reply_at, now)?;
    start_if_new(tx, id, now, staff)?;
    if next_reply_at.is_some() {
        tx.execute(
            "UPDATE complaints SET next_reply_at = ?2 WHERE id = ?1",
            params![id, ts_opt(next_reply_at)],
        )?;
    }
    tx.prepare_cached(
        "INSERT INTO complaint_events (complaint_id, at, staff_id, kind, detail, next_reply_at)
         VALUES (?1, ?2, ?3, 'handling', ?4, ?5)",
    )?
    .execute(params![id, ts(now), staff, text, ts_opt(next_reply_at)])?;
    super::audit::record(tx, now, "handling", "complaint", Some(id), "", &text)
}

/// 复清楚: a reply to the customer (when, how, what); it fulfils any promised reply time.
/// With `answered`, the complaint moves to 已答复.
pub fn add_reply(
    tx: &Transaction<'_>,
    id: i64,
    channel: ReplyChannel,
    text: &str,
    answered: bool,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let text = non_blank("complaint.reply", text)?;
    start_if_new(tx, id, now, staff)?;
    tx.execute(
        "UPDATE complaints SET next_reply_at = NULL WHERE id = ?1",
        [id],
    )?;
    tx.prepare_cached(
        "INSERT INTO complaint_events (complaint_id, at, staff_id, kind, detail, reply_channel)
         VALUES (?1, ?2, ?3, 'reply', ?4, ?5)",
    )?
    .execute(params![id, ts(now), staff, text, channel.as_zh()])?;
    super::audit::record(
        tx,
        now,
        "reply",
        "complaint",
        Some(id),
        "",
        &format!("[{}] {text}", channel.as_zh()),
    )?;
    if let Some(to) = get(tx, id)?.status_after_reply(answered) {
        set_status(tx, id, to, None, "", now, staff)?;
    }
    Ok(())
}

/// 记清楚: the record was checked complete.
pub fn mark_recorded(
    tx: &Transaction<'_>,
    id: i64,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let mut c = get(tx, id)?;
    c.mark_recorded(now)?;
    tx.execute(
        "UPDATE complaints SET recorded_at = ?2 WHERE id = ?1",
        params![id, ts_opt(c.recorded_at)],
    )?;
    event(tx, id, now, staff, "recorded", None, "")
}

/// 报告: who in management was told (the inbox entry is automatic for major complaints).
pub fn report(
    tx: &Transaction<'_>,
    id: i64,
    to_whom: &str,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let to_whom = non_blank("complaint.reported_to", to_whom)?;
    get(tx, id)?;
    tx.execute(
        "UPDATE complaints SET reported_to = ?2, reported_at = ?3 WHERE id = ?1",
        params![id, to_whom, ts(now)],
    )?;
    event(tx, id, now, staff, "reported", None, &to_whom)
}

/// Changes category, severity or company-at-fault; the change is on the timeline, and a
/// complaint that becomes major goes to the inbox.
pub fn classify(
    tx: &Transaction<'_>,
    id: i64,
    category: &str,
    severity: Severity,
    at_fault: AtFault,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let category = non_blank("complaint.category", category)?;
    let mut c = get(tx, id)?;
    let Some(change) = c.reclassify(&category, severity, at_fault) else {
        return Ok(());
    };
    tx.execute(
        "UPDATE complaints SET category = ?2, severity = ?3, at_fault = ?4 WHERE id = ?1",
        params![
            id,
            c.category,
            c.severity.map(Severity::as_zh),
            c.at_fault.map(AtFault::as_zh)
        ],
    )?;
    if change.report_to_inbox {
        inbox::add(tx, inbox::Kind::Complaint, id, now, &c.inbox_summary())?;
    }
    event(tx, id, now, staff, "edit", None, &change.detail)
}

/// The complaint categories offered, in order.
pub fn categories(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT name FROM complaint_categories WHERE active = 1 ORDER BY position, name",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Replaces the list of categories offered (old names stay on old complaints).
pub fn set_categories(tx: &Transaction<'_>, names: &[String]) -> Result<()> {
    tx.execute("UPDATE complaint_categories SET active = 0", [])?;
    for (i, name) in validation::list_entries(names).into_iter().enumerate() {
        tx.execute(
            "INSERT INTO complaint_categories (name, position, active) VALUES (?1, ?2, 1)
             ON CONFLICT (name) DO UPDATE SET position = excluded.position, active = 1",
            params![name, i64::try_from(i).unwrap_or(0)],
        )?;
    }
    Ok(())
}

/// Loads a week's notes (`week` like `2026-W47`).
pub fn week_notes(conn: &Connection, week: &str) -> Result<WeekNotes> {
    Ok(conn
        .query_row(
            "SELECT waybills, analysis FROM complaint_weeks WHERE week = ?1",
            [week],
            |r| {
                Ok(WeekNotes {
                    waybills: r.get(0)?,
                    analysis: r.get(1)?,
                })
            },
        )
        .optional()?
        .unwrap_or_default())
}

/// Saves a week's notes.
pub fn save_week_notes(
    tx: &Transaction<'_>,
    week: &str,
    notes: &WeekNotes,
    now: NaiveDateTime,
) -> Result<()> {
    let notes = notes.checked()?;
    tx.execute(
        "INSERT INTO complaint_weeks (week, waybills, analysis, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (week) DO UPDATE SET waybills = excluded.waybills, analysis = excluded.analysis,
            updated_at = excluded.updated_at",
        params![week, notes.waybills, notes.analysis, ts(now)],
    )?;
    Ok(())
}
