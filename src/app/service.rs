//! Commands of the service phone, callbacks, complaints, the inbox and the weekly summary.

use chrono::NaiveDateTime;

use crate::domain::call::{CallDraft, Callback, CallbackResult};
use crate::domain::complaint::{
    AtFault, ComplaintDraft, ReplyChannel, Satisfaction, Severity, Status,
};
use crate::report;
use crate::store::complaints::WeekNotes;
use crate::store::{Store, StoreError, callbacks, calls, complaints, inbox};

/// A service command; applied in one transaction by [`apply`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServiceCommand {
    /// Log a call.
    LogCall(CallDraft),
    /// Register a complaint (possibly from a call).
    CreateComplaint(ComplaintDraft),
    /// 问清楚.
    Clarify {
        /// Complaint.
        id: i64,
        /// Facts clarified.
        facts: String,
    },
    /// 跟清楚: a handling entry.
    Handling {
        /// Complaint.
        id: i64,
        /// What was done.
        text: String,
        /// Promised next-reply time.
        next_reply_at: Option<NaiveDateTime>,
    },
    /// 复清楚: a reply to the customer.
    Reply {
        /// Complaint.
        id: i64,
        /// How.
        channel: ReplyChannel,
        /// What was said.
        text: String,
        /// The reply gives the result: status becomes 已答复.
        answered: bool,
    },
    /// Change the status.
    SetStatus {
        /// Complaint.
        id: i64,
        /// New status.
        to: Status,
        /// Satisfaction (closing).
        satisfaction: Option<Satisfaction>,
        /// Note.
        note: String,
    },
    /// 记清楚.
    MarkRecorded(i64),
    /// 报告.
    Report {
        /// Complaint.
        id: i64,
        /// Who was told.
        to_whom: String,
    },
    /// Change category, severity, company-at-fault.
    Classify {
        /// Complaint.
        id: i64,
        /// Category.
        category: String,
        /// Severity.
        severity: Severity,
        /// Company at fault.
        at_fault: AtFault,
    },
    /// Schedule a callback.
    ScheduleCallback(Callback),
    /// Record a callback's result.
    CompleteCallback {
        /// Callback.
        id: i64,
        /// What it found out.
        result: CallbackResult,
    },
    /// Acknowledge an inbox entry.
    Acknowledge(i64),
    /// Save the week's waybills and analysis.
    SaveWeekNotes {
        /// `2026-W47`.
        week: String,
        /// Notes.
        notes: WeekNotes,
    },
    /// Export the weekly summary.
    ExportWeek {
        /// `2026-W47`.
        week: String,
        /// Target file.
        path: std::path::PathBuf,
        /// XLSX rather than CSV.
        xlsx: bool,
    },
    /// Replace the complaint categories offered.
    SetCategories(Vec<String>),
}

impl ServiceCommand {
    /// The translation key of the message shown on success.
    pub fn success_key(&self) -> &'static str {
        match self {
            Self::LogCall(_) => "app.ok_call",
            Self::CreateComplaint(_) => "app.ok_complaint",
            Self::ScheduleCallback(_) => "app.ok_callback_scheduled",
            Self::CompleteCallback { .. } => "app.ok_callback_done",
            Self::Acknowledge(_) => "app.ok_acknowledged",
            Self::ExportWeek { .. } => "app.ok_exported",
            Self::SaveWeekNotes { .. } | Self::SetCategories(_) => "app.ok_settings",
            _ => "app.ok_complaint_updated",
        }
    }
}

/// Applies `cmd`; returns the id of a record it created, if any.
pub fn apply(
    store: &mut Store,
    cmd: &ServiceCommand,
    now: NaiveDateTime,
    me: Option<i64>,
    settings: &crate::store::settings::Settings,
) -> Result<Option<i64>, StoreError> {
    use ServiceCommand as C;
    let created = match cmd {
        C::LogCall(draft) => {
            let call = draft.validate(now, me)?;
            Some(store.write(|tx| calls::insert(tx, &call))?)
        }
        C::CreateComplaint(draft) => {
            Some(store.write(|tx| complaints::create(tx, draft, now, me))?)
        }
        C::Clarify { id, facts } => {
            store.write(|tx| complaints::clarify(tx, *id, facts, now, me))?;
            None
        }
        C::Handling {
            id,
            text,
            next_reply_at,
        } => {
            store.write(|tx| complaints::add_handling(tx, *id, text, *next_reply_at, now, me))?;
            None
        }
        C::Reply {
            id,
            channel,
            text,
            answered,
        } => {
            store.write(|tx| complaints::add_reply(tx, *id, *channel, text, *answered, now, me))?;
            None
        }
        C::SetStatus {
            id,
            to,
            satisfaction,
            note,
        } => {
            store.write(|tx| complaints::set_status(tx, *id, *to, *satisfaction, note, now, me))?;
            None
        }
        C::MarkRecorded(id) => {
            store.write(|tx| complaints::mark_recorded(tx, *id, now, me))?;
            None
        }
        C::Report { id, to_whom } => {
            store.write(|tx| complaints::report(tx, *id, to_whom, now, me))?;
            None
        }
        C::Classify {
            id,
            category,
            severity,
            at_fault,
        } => {
            store.write(|tx| {
                complaints::classify(tx, *id, category, *severity, *at_fault, now, me)
            })?;
            None
        }
        C::ScheduleCallback(cb) => Some(store.write(|tx| callbacks::schedule(tx, cb, now, me))?),
        C::CompleteCallback { id, result } => {
            store.write(|tx| callbacks::complete(tx, *id, result, now, me))?;
            None
        }
        C::Acknowledge(id) => {
            store.write(|tx| inbox::acknowledge(tx, *id, me, now))?;
            None
        }
        C::SaveWeekNotes { week, notes } => {
            store.write(|tx| complaints::save_week_notes(tx, week, notes, now))?;
            None
        }
        C::ExportWeek { week, path, xlsx } => {
            export_week(store, week, path, *xlsx, now, settings)?;
            None
        }
        C::SetCategories(names) => {
            store.write(|tx| complaints::set_categories(tx, names))?;
            None
        }
    };
    Ok(created)
}

/// Writes the weekly summary of `week` to `path` (CSV with BOM, or XLSX with the complaints).
pub fn export_week(
    store: &Store,
    week: &str,
    path: &std::path::Path,
    xlsx: bool,
    now: NaiveDateTime,
    settings: &crate::store::settings::Settings,
) -> Result<(), StoreError> {
    let (summary, detail) = week_tables(store, week, now, settings)?;
    let result = if xlsx {
        report::write_xlsx_sheets(&[("summary", &summary), ("complaints", &detail)], path)
    } else {
        std::fs::File::create(path)
            .map_err(anyhow::Error::from)
            .and_then(|f| report::write_csv(&summary, std::io::BufWriter::new(f), true))
    };
    result.map_err(|e| StoreError::Io(std::io::Error::other(e.to_string())))
}

/// The weekly summary table and the complaints table of `week`.
pub fn week_tables(
    store: &Store,
    week: &str,
    now: NaiveDateTime,
    settings: &crate::store::settings::Settings,
) -> Result<(report::Table, report::Table), StoreError> {
    let Some(monday) = report::complaints::parse_week(week) else {
        return Err(crate::domain::DomainError::Invalid {
            field: "report.week",
            reason: "err.week_format",
        }
        .into());
    };
    let (from, to) = report::complaints::week_bounds(monday);
    let list = complaints::received_between(store.conn(), from, to)?;
    let order = complaints::categories(store.conn())?;
    let rows = report::complaints::build(&list, &order, &settings.sla, now);
    Ok((
        report::complaints::table(&rows),
        report::complaints::detail_table(&list),
    ))
}
