//! Complaints and their append-only timeline; major complaints go to the inbox.

use chrono::NaiveDateTime;

use super::db::{Db, Row, ToValue};
use super::{Result, calls, inbox};
use crate::db_params;
use crate::domain::complaint::{
    self, AtFault, Channel, Complaint, ComplaintDraft, ReplyChannel, Satisfaction, Severity, Status,
};
use crate::domain::validation::{self, non_blank};

pub use crate::domain::complaint::WeekNotes;

const COLUMNS: &str = "id, received_at, channel, customer_id, customer_name, phone, waybill, category,
    severity, at_fault, content, received_by, status, facts, clarified_at, next_reply_at, recorded_at,
    reported_to, reported_at, satisfaction, call_id";

fn from_row(r: &Row<'_>) -> Result<Complaint> {
    let s = |i: usize| -> Result<String> { r.get(i) };
    Ok(Complaint {
        id: r.get(0)?,
        received_at: r.get(1)?,
        channel: Channel::parse(&s(2)?),
        customer_id: r.get(3)?,
        customer_name: s(4)?,
        phone: s(5)?,
        waybill: s(6)?,
        category: s(7)?,
        severity: Severity::parse(&s(8)?),
        at_fault: AtFault::parse(&s(9)?),
        content: s(10)?,
        received_by: r.get(11)?,
        status: Status::parse(&s(12)?),
        facts: s(13)?,
        clarified_at: r.get(14)?,
        next_reply_at: r.get(15)?,
        recorded_at: r.get(16)?,
        reported_to: s(17)?,
        reported_at: r.get(18)?,
        satisfaction: r
            .get::<Option<String>>(19)?
            .as_deref()
            .and_then(Satisfaction::parse),
        call_id: r.get(20)?,
        history: Vec::new(),
        handling_entries: 0,
        replies: 0,
    })
}

/// Fills in the history and step counts from the timeline.
fn with_timeline(db: Db<'_>, mut c: Complaint) -> Result<Complaint> {
    c.history = db.query_map(
        "SELECT at, status FROM complaint_events WHERE complaint_id = ?1 AND kind = 'status' ORDER BY id",
        db_params![c.id],
        |r| {
            let status: String = r.get(1)?;
            Ok((
                r.get(0)?,
                Status::parse(&status).unwrap_or(Status::Received),
            ))
        },
    )?;
    let (handling, replies): (i64, i64) = db.query_row(
        "SELECT count(*) FILTER (WHERE kind = 'handling'), count(*) FILTER (WHERE kind = 'reply')
         FROM complaint_events WHERE complaint_id = ?1",
        db_params![c.id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    c.handling_entries = handling;
    c.replies = replies;
    Ok(c)
}

/// One complaint with its history.
pub fn get<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<Complaint> {
    let db = db.into();
    let c = db.query_row(
        &format!("SELECT {COLUMNS} FROM complaints WHERE id = ?1"),
        db_params![id],
        from_row,
    )?;
    with_timeline(db, c)
}

/// Complaints received in `[from, to)` per day with any, oldest first.
pub fn received_per_day<'a>(
    db: impl Into<Db<'a>>,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<(chrono::NaiveDate, i64)>> {
    super::per_day(db.into(), "complaints", "received_at", from, to)
}

/// The satisfaction given on the complaints [`list`] shows with `recent_days`: how many were
/// satisfied (fully or mostly) of how many were rated.
pub fn satisfaction<'a>(
    db: impl Into<Db<'a>>,
    now: NaiveDateTime,
    recent_days: i64,
) -> Result<(i64, i64)> {
    let since = now - chrono::Duration::days(recent_days);
    db.into().query_row(
        "SELECT count(CASE WHEN satisfaction <> '不满意' THEN 1 END), count(satisfaction)
         FROM complaints
         WHERE id IN (SELECT id FROM complaints WHERE status IN ('受理', '处理中', '等待客户')
                      UNION ALL SELECT complaint_id FROM complaint_events WHERE at >= ?1)",
        db_params![since],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Complaints received in `[from, to)` per category, in the order each category first came up.
pub fn count_by_category<'a>(
    db: impl Into<Db<'a>>,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<(String, i64)>> {
    db.into().query_map(
        "SELECT category, count(*) FROM complaints WHERE received_at >= ?1 AND received_at < ?2
         GROUP BY category ORDER BY min(received_at), min(id)",
        db_params![from, to],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Complaints received in `[from, to)`, oldest first, with their histories.
pub fn received_between<'a>(
    db: impl Into<Db<'a>>,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<Complaint>> {
    let db = db.into();
    let ids: Vec<i64> = db.query_map(
        "SELECT id FROM complaints WHERE received_at >= ?1 AND received_at < ?2 ORDER BY received_at, id",
        db_params![from, to],
        |r| r.get(0),
    )?;
    many(db, &ids)
}

/// Loads the complaints `ids` (in that order) with their histories, two queries per
/// [`super::IDS_PER_QUERY`] ids (the ids are listed in the SQL, which both backends accept).
fn many(db: Db<'_>, ids: &[i64]) -> Result<Vec<Complaint>> {
    let mut by_id = std::collections::HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(super::IDS_PER_QUERY) {
        let (places, padded) = super::id_list(chunk);
        let params: Vec<&dyn ToValue> = padded.iter().map(|id| id as &dyn ToValue).collect();
        for c in db.query_map(
            &format!("SELECT {COLUMNS} FROM complaints WHERE id IN ({places})"),
            &params,
            from_row,
        )? {
            by_id.insert(c.id, c);
        }
        db.query_each(
            &format!(
                "SELECT complaint_id, kind, at, status FROM complaint_events
                 WHERE complaint_id IN ({places}) ORDER BY id"
            ),
            &params,
            |r| {
                let Some(c) = by_id.get_mut(&r.get::<i64>(0)?) else {
                    return Ok(());
                };
                match r.get::<String>(1)?.as_str() {
                    "status" => {
                        let status: String = r.get(3)?;
                        c.history.push((
                            r.get(2)?,
                            Status::parse(&status).unwrap_or(Status::Received),
                        ));
                    }
                    "handling" => c.handling_entries += 1,
                    "reply" => c.replies += 1,
                    _ => {}
                }
                Ok(())
            },
        )?;
    }
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// The complaint list: all open ones, then those closed or answered in the last `recent_days`.
///
/// The text is looked up in the complaints' text index ([`super::text_search`]): contained in
/// one of the fields, case and punctuation ignored. Complaints in the same group received at the
/// same time come in the order they were registered.
pub fn list<'a>(
    db: impl Into<Db<'a>>,
    now: NaiveDateTime,
    recent_days: i64,
    text: &str,
) -> Result<Vec<Complaint>> {
    let db = db.into();
    let since = now - chrono::Duration::days(recent_days);
    // Open ones through the status index, recent steps through the events' time index.
    let open: Vec<String> = Status::ALL
        .iter()
        .filter(|s| !matches!(s, Status::Replied | Status::Closed))
        .map(|s| format!("'{}'", s.as_zh()))
        .collect();
    let mut clause = format!(
        "c.id IN (SELECT id FROM complaints WHERE status IN ({})
                  UNION ALL SELECT complaint_id FROM complaint_events WHERE at >= ?1)",
        open.join(", ")
    );
    let mut args = vec![since.to_value()];
    if let Some((text, value)) =
        super::text_search::condition(db, &super::text_search::COMPLAINTS, text, "c.id", 2)
    {
        clause.push_str(" AND ");
        clause.push_str(&text);
        args.push(value);
    }
    let params: Vec<&dyn super::db::ToValue> =
        args.iter().map(|v| v as &dyn super::db::ToValue).collect();
    let ids: Vec<i64> = db.query_map(
        &format!(
            "SELECT c.id FROM complaints c WHERE {clause}
             ORDER BY c.status IN ('已答复', '已结案'), c.severity = '一般', c.received_at, c.id
             LIMIT 500"
        ),
        &params,
        |r| r.get(0),
    )?;
    many(db, &ids)
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
pub fn events<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<Vec<Event>> {
    db.into().query_map(
        "SELECT at, staff_id, kind, status, detail, reply_channel, next_reply_at
         FROM complaint_events WHERE complaint_id = ?1 ORDER BY id",
        db_params![id],
        |r| {
            let status: Option<String> = r.get(3)?;
            let channel: Option<String> = r.get(5)?;
            Ok(Event {
                at: r.get(0)?,
                staff_id: r.get(1)?,
                kind: r.get(2)?,
                status: status.as_deref().and_then(Status::parse),
                detail: r.get(4)?,
                reply_channel: channel.as_deref().and_then(ReplyChannel::parse),
                next_reply_at: r.get(6)?,
            })
        },
    )
}

fn event(
    db: Db<'_>,
    id: i64,
    now: NaiveDateTime,
    staff: Option<i64>,
    kind: &str,
    status: Option<Status>,
    detail: &str,
) -> Result<()> {
    db.execute(
        "INSERT INTO complaint_events (complaint_id, at, staff_id, kind, status, detail, desk)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, (SELECT desk FROM session_actor))",
        db_params![id, now, staff, kind, status.map(Status::as_zh), detail],
    )?;
    let after = match status {
        Some(s) => format!("{} {detail}", s.as_zh()),
        None => detail.to_owned(),
    };
    super::audit::record(db, now, kind, "complaint", Some(id), "", after.trim())
}

/// Registers a complaint (听清楚: the content as told); major ones go to the inbox at once.
/// A complaint made from a call links the call.
pub fn create<'a>(
    db: impl Into<Db<'a>>,
    draft: &ComplaintDraft,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<i64> {
    let db = db.into();
    let d = draft.validate()?;
    let customer_id = match d.customer_id {
        Some(id) => Some(id),
        None => super::customers::by_phone(db, &d.phone)?.map(|c| c.id),
    };
    let id: i64 = db.query_value(
        "INSERT INTO complaints (received_at, channel, customer_id, customer_name, phone, waybill, category,
            severity, at_fault, content, received_by, status, call_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?13, ?12)
         RETURNING id",
        db_params![
            now,
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
    event(db, id, now, staff, "status", Some(Status::Received), "")?;
    if d.severity.is_some_and(Severity::goes_to_inbox) {
        let summary = complaint::inbox_summary(&d.category, &d.customer_name, &d.content);
        inbox::add(db, inbox::Kind::Complaint, id, now, &summary)?;
    }
    if let Some(call) = d.call_id {
        calls::link_complaint(db, call, id)?;
    }
    Ok(id)
}

/// Changes the status (every change dated and attributed); closing records satisfaction.
pub fn set_status<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    to: Status,
    satisfaction: Option<Satisfaction>,
    note: &str,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let db = db.into();
    let mut c = get(db, id)?;
    let detail = c.move_to(to, satisfaction, note)?;
    db.execute(
        "UPDATE complaints SET status = ?2, satisfaction = ?3 WHERE id = ?1",
        db_params![id, to.as_zh(), c.satisfaction.map(Satisfaction::as_zh)],
    )?;
    event(db, id, now, staff, "status", Some(to), &detail)
}

/// Moves a new complaint to 处理中 on its first step (the first response), see
/// [`Complaint::first_step`].
fn start_if_new(db: Db<'_>, id: i64, now: NaiveDateTime, staff: Option<i64>) -> Result<Complaint> {
    let c = get(db, id)?;
    if let Some(to) = c.first_step()? {
        set_status(db, id, to, None, "", now, staff)?;
    }
    Ok(c)
}

/// 问清楚: the facts as clarified with the customer.
pub fn clarify<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    facts: &str,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let db = db.into();
    let facts = non_blank("complaint.facts", facts)?;
    let mut c = start_if_new(db, id, now, staff)?;
    c.clarify(&facts, now);
    db.execute(
        "UPDATE complaints SET facts = ?2, clarified_at = ?3 WHERE id = ?1",
        db_params![id, c.facts, c.clarified_at],
    )?;
    event(db, id, now, staff, "clarified", None, &facts)
}

/// 跟清楚: a handling entry; when it cannot be solved now, the promised next-reply time.
pub fn add_handling<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    text: &str,
    next_reply_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let db = db.into();
    let text = non_blank("complaint.handling", text)?;
    complaint::check_next_reply(next_reply_at, now)?;
    start_if_new(db, id, now, staff)?;
    if next_reply_at.is_some() {
        db.execute(
            "UPDATE complaints SET next_reply_at = ?2 WHERE id = ?1",
            db_params![id, next_reply_at],
        )?;
    }
    db.execute(
        "INSERT INTO complaint_events (complaint_id, at, staff_id, kind, detail, next_reply_at, desk)
         VALUES (?1, ?2, ?3, 'handling', ?4, ?5, (SELECT desk FROM session_actor))",
        db_params![id, now, staff, text, next_reply_at],
    )?;
    super::audit::record(db, now, "handling", "complaint", Some(id), "", &text)
}

/// 复清楚: a reply to the customer (when, how, what); it fulfils any promised reply time.
/// With `answered`, the complaint moves to 已答复.
pub fn add_reply<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    channel: ReplyChannel,
    text: &str,
    answered: bool,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let db = db.into();
    let text = non_blank("complaint.reply", text)?;
    start_if_new(db, id, now, staff)?;
    db.execute(
        "UPDATE complaints SET next_reply_at = NULL WHERE id = ?1",
        db_params![id],
    )?;
    db.execute(
        "INSERT INTO complaint_events (complaint_id, at, staff_id, kind, detail, reply_channel, desk)
         VALUES (?1, ?2, ?3, 'reply', ?4, ?5, (SELECT desk FROM session_actor))",
        db_params![id, now, staff, text, channel.as_zh()],
    )?;
    super::audit::record(
        db,
        now,
        "reply",
        "complaint",
        Some(id),
        "",
        &format!("[{}] {text}", channel.as_zh()),
    )?;
    if let Some(to) = get(db, id)?.status_after_reply(answered) {
        set_status(db, id, to, None, "", now, staff)?;
    }
    Ok(())
}

/// 记清楚: the record was checked complete.
pub fn mark_recorded<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let db = db.into();
    let mut c = get(db, id)?;
    c.mark_recorded(now)?;
    db.execute(
        "UPDATE complaints SET recorded_at = ?2 WHERE id = ?1",
        db_params![id, c.recorded_at],
    )?;
    event(db, id, now, staff, "recorded", None, "")
}

/// 报告: who in management was told (the inbox entry is automatic for major complaints).
pub fn report<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    to_whom: &str,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let db = db.into();
    let to_whom = non_blank("complaint.reported_to", to_whom)?;
    get(db, id)?;
    db.execute(
        "UPDATE complaints SET reported_to = ?2, reported_at = ?3 WHERE id = ?1",
        db_params![id, to_whom, now],
    )?;
    event(db, id, now, staff, "reported", None, &to_whom)
}

/// Changes category, severity or company-at-fault; the change is on the timeline, and a
/// complaint that becomes major goes to the inbox.
pub fn classify<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    category: &str,
    severity: Severity,
    at_fault: AtFault,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let db = db.into();
    let category = non_blank("complaint.category", category)?;
    let mut c = get(db, id)?;
    let Some(change) = c.reclassify(&category, severity, at_fault) else {
        return Ok(());
    };
    db.execute(
        "UPDATE complaints SET category = ?2, severity = ?3, at_fault = ?4 WHERE id = ?1",
        db_params![
            id,
            c.category,
            c.severity.map(Severity::as_zh),
            c.at_fault.map(AtFault::as_zh)
        ],
    )?;
    if change.report_to_inbox {
        inbox::add(db, inbox::Kind::Complaint, id, now, &c.inbox_summary())?;
    }
    event(db, id, now, staff, "edit", None, &change.detail)
}

/// The complaint categories offered, in order.
pub fn categories<'a>(db: impl Into<Db<'a>>) -> Result<Vec<String>> {
    db.into().query_map(
        "SELECT name FROM complaint_categories WHERE active = 1 ORDER BY position, name",
        db_params![],
        |r| r.get(0),
    )
}

/// Replaces the list of categories offered (old names stay on old complaints).
pub fn set_categories<'a>(db: impl Into<Db<'a>>, names: &[String]) -> Result<()> {
    let db = db.into();
    db.execute("UPDATE complaint_categories SET active = 0", db_params![])?;
    for (i, name) in validation::list_entries(names).into_iter().enumerate() {
        db.execute(
            "INSERT INTO complaint_categories (name, position, active) VALUES (?1, ?2, 1)
             ON CONFLICT (name) DO UPDATE SET position = excluded.position, active = 1",
            db_params![name, i64::try_from(i).unwrap_or(0)],
        )?;
    }
    Ok(())
}

/// Loads a week's notes (`week` like `2026-W47`).
pub fn week_notes<'a>(db: impl Into<Db<'a>>, week: &str) -> Result<WeekNotes> {
    Ok(db
        .into()
        .query_opt(
            "SELECT waybills, analysis FROM complaint_weeks WHERE week = ?1",
            db_params![week],
            |r| {
                Ok(WeekNotes {
                    waybills: r.get(0)?,
                    analysis: r.get(1)?,
                })
            },
        )?
        .unwrap_or_default())
}

/// Saves a week's notes.
pub fn save_week_notes<'a>(
    db: impl Into<Db<'a>>,
    week: &str,
    notes: &WeekNotes,
    now: NaiveDateTime,
) -> Result<()> {
    let db = db.into();
    let notes = notes.checked()?;
    db.execute(
        "INSERT INTO complaint_weeks (week, waybills, analysis, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (week) DO UPDATE SET waybills = excluded.waybills, analysis = excluded.analysis,
            updated_at = excluded.updated_at",
        db_params![week, notes.waybills, notes.analysis, now],
    )?;
    Ok(())
}
