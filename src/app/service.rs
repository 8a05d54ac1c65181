//! Commands of the service phone, callbacks, complaints, the inbox and the weekly summary.

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::account::Action;
use crate::report;
use crate::report::reception::Rows;
use crate::store::versions::Record;
use crate::store::{Store, StoreError, callbacks, calls, claims, complaints, inbox};

use super::{ExportFormat, ServiceCommand};

impl ServiceCommand {
    /// The complaint or claim this command changes, for the check against another desk's newer
    /// change ([`crate::store::versions`]). A party's notification names no claim: it belongs
    /// to the claim shown (`None`).
    pub fn changes(&self) -> Option<(Record, Option<i64>)> {
        match self {
            Self::Clarify { id, .. }
            | Self::Handling { id, .. }
            | Self::Reply { id, .. }
            | Self::SetStatus { id, .. }
            | Self::MarkRecorded(id)
            | Self::Report { id, .. }
            | Self::Classify { id, .. } => Some((Record::Complaint, Some(*id))),
            Self::ClaimMove { id, .. }
            | Self::ClaimParties { id, .. }
            | Self::ClaimMoney { id, .. }
            | Self::ClaimInsurer { id, .. }
            | Self::ClaimDeadline { id, .. }
            | Self::ClaimFlags { id, .. }
            | Self::ClaimNote { id, .. }
            | Self::ClaimAddFiles { id, .. } => Some((Record::Claim, Some(*id))),
            Self::ClaimNotify { .. } => Some((Record::Claim, None)),
            _ => None,
        }
    }

    /// The translation key of the message shown on success.
    pub fn success_key(&self) -> &'static str {
        match self {
            Self::LogCall(_) => "app.ok_call",
            Self::CreateComplaint(_) => "app.ok_complaint",
            Self::ScheduleCallback(_) => "app.ok_callback_scheduled",
            Self::CompleteCallback { .. } => "app.ok_callback_done",
            Self::Acknowledge(_) => "app.ok_acknowledged",
            Self::TransferCase { .. } => "transfer.ok_sent",
            Self::AcceptTransfer(_) => "transfer.ok_accepted",
            Self::AnswerTransfer { .. } => "transfer.ok_answered",
            Self::ConfirmTransfer(_) => "transfer.ok_confirmed",
            Self::ExportWeek { .. } | Self::Print { .. } => "app.ok_exported",
            Self::SaveWeekNotes { .. }
            | Self::SetCategories(_)
            | Self::SetCauses(_)
            | Self::SaveClaimMonth { .. } => "app.ok_settings",
            Self::ExportClaimMonth { .. } | Self::ExportReception { .. } => "app.ok_exported",
            Self::CreateClaim(_) => "app.ok_claim",
            Self::ClaimMove { .. }
            | Self::ClaimParties { .. }
            | Self::ClaimNotify { .. }
            | Self::ClaimMoney { .. }
            | Self::ClaimInsurer { .. }
            | Self::ClaimDeadline { .. }
            | Self::ClaimFlags { .. }
            | Self::ClaimNote { .. }
            | Self::ClaimAddFiles { .. } => "app.ok_claim_updated",
            Self::SignOut(_) => "att.ok_signed_out",
            Self::SubmitDailyReport { .. } => "daily.ok_submitted",
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
            acknowledge(store, *id, now, me)?;
            None
        }
        C::SaveWeekNotes { week, notes } => {
            store.write(|tx| complaints::save_week_notes(tx, week, notes, now))?;
            None
        }
        C::ExportWeek { week, path, format } => {
            export_week(store, week, path, *format, now, settings)?;
            None
        }
        C::Print { record, path } => {
            print_record(store, *record, path)?;
            None
        }
        C::SetCategories(names) => {
            set_categories(store, names, now)?;
            None
        }
        C::TransferCase { .. }
        | C::AcceptTransfer(_)
        | C::AnswerTransfer { .. }
        | C::ConfirmTransfer(_) => {
            apply_transfer(store, cmd, now, me)?;
            None
        }
        C::CreateClaim(_)
        | C::ClaimMove { .. }
        | C::ClaimParties { .. }
        | C::ClaimNotify { .. }
        | C::ClaimMoney { .. }
        | C::ClaimDeadline { .. }
        | C::ClaimFlags { .. }
        | C::ClaimInsurer { .. }
        | C::ClaimNote { .. }
        | C::ClaimAddFiles { .. } => apply_claim(store, cmd, now, me, settings)?,
        C::SaveClaimMonth { month, analysis } => {
            store.write(|tx| claims::save_month_analysis(tx, month, analysis, now))?;
            None
        }
        C::ExportClaimMonth {
            month,
            path,
            format,
        } => {
            export_claim_month(store, month, path, *format, settings)?;
            None
        }
        C::SetCauses(names) => {
            set_causes(store, names, now)?;
            None
        }
        C::ExportReception {
            from,
            to,
            monthly,
            path,
            format,
        } => {
            let rows = Rows::from_monthly(*monthly);
            export_reception(store, (*from, *to, rows), path, *format, settings)?;
            None
        }
        C::SignOut(staff_id) => {
            store.write(|tx| crate::store::attendance::sign_out(tx, *staff_id, now))?;
            None
        }
        C::SubmitDailyReport { staff_id, remarks } => {
            let limit = settings.rules.greeting_limit_secs;
            Some(store.write(|tx| {
                crate::store::daily_reports::submit(tx, *staff_id, remarks, now, limit)
            })?)
        }
    };
    Ok(created)
}

/// Applies a step of a case transfer (`me`: the desk's staff member, who acts).
fn apply_transfer(
    store: &mut Store,
    cmd: &ServiceCommand,
    now: NaiveDateTime,
    me: Option<i64>,
) -> Result<(), StoreError> {
    use crate::store::transfers;
    use ServiceCommand as C;
    match cmd {
        C::TransferCase {
            kind,
            id,
            to_staff,
            department,
            reason,
        } => {
            store.write(|tx| {
                transfers::send(tx, *kind, *id, me, *to_staff, department, reason, now)
            })?;
        }
        C::AcceptTransfer(id) => store.write(|tx| transfers::accept(tx, *id, me, now))?,
        C::AnswerTransfer { id, outcome } => {
            store.write(|tx| transfers::answer(tx, *id, outcome, now))?;
        }
        C::ConfirmTransfer(id) => store.write(|tx| transfers::confirm(tx, *id, now))?,
        _ => {}
    }
    Ok(())
}

/// Applies a command on a claim's file; returns the id of a claim created.
fn apply_claim(
    store: &mut Store,
    cmd: &ServiceCommand,
    now: NaiveDateTime,
    me: Option<i64>,
    settings: &crate::store::settings::Settings,
) -> Result<Option<i64>, StoreError> {
    use ServiceCommand as C;
    Ok(match cmd {
        C::CreateClaim(draft) => {
            let mut claim = draft.validate(now)?;
            claim.settle_by = Some(settings.settle.deadline(now));
            Some(store.write(|tx| claims::create(tx, &claim, me))?)
        }
        C::ClaimMove { id, to, reason } => {
            store.write(|tx| claims::move_status(tx, *id, *to, reason, now, me))?;
            None
        }
        C::ClaimParties { id, parties } => {
            store.write(|tx| claims::set_parties(tx, *id, parties, now, me))?;
            None
        }
        C::ClaimNotify { party_id, on } => {
            store.write(|tx| claims::notify_party(tx, *party_id, *on, now, me))?;
            None
        }
        C::ClaimMoney { id, agreed, paid } => {
            store.write(|tx| claims::set_money(tx, *id, *agreed, *paid, now, me))?;
            None
        }
        C::ClaimDeadline {
            id,
            settle_by,
            reason,
        } => {
            store.write(|tx| claims::set_deadline(tx, *id, *settle_by, reason, now, me))?;
            None
        }
        C::ClaimFlags {
            id,
            major,
            settled_directly,
        } => {
            store.write(|tx| claims::set_flags(tx, *id, *major, *settled_directly, now, me))?;
            None
        }
        C::ClaimInsurer { id, insurer } => {
            store.write(|tx| claims::set_insurer(tx, *id, insurer, now, me))?;
            None
        }
        C::ClaimNote { id, text } => {
            store.write(|tx| claims::add_note(tx, *id, text, now, me))?;
            None
        }
        C::ClaimAddFiles { id, paths } => {
            add_claim_files(store, *id, paths, now, me)?;
            None
        }
        _ => None,
    })
}

/// Marks inbox item `id` acknowledged by `me` and records it in the audit log.
fn acknowledge(
    store: &mut Store,
    id: i64,
    now: NaiveDateTime,
    me: Option<i64>,
) -> Result<(), StoreError> {
    store.write_as(Action::AcknowledgeInbox, |tx| {
        inbox::acknowledge(tx, id, me, now)?;
        crate::store::audit::record(tx, now, "acknowledge", "inbox", Some(id), "", "")
    })
}

/// Replaces the list of complaint categories and records the new list in the audit log.
fn set_categories(
    store: &mut Store,
    names: &[String],
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    store.write_as(Action::ChangeSettings, |tx| {
        complaints::set_categories(tx, names)?;
        crate::store::audit::record(
            tx,
            now,
            "update",
            "complaint_categories",
            None,
            "",
            &names.join(" | "),
        )
    })
}

/// Replaces the list of claim causes and records the new list in the audit log.
fn set_causes(store: &mut Store, names: &[String], now: NaiveDateTime) -> Result<(), StoreError> {
    store.write_as(Action::ChangeSettings, |tx| {
        claims::set_causes(tx, names)?;
        crate::store::audit::record(
            tx,
            now,
            "update",
            "claim_causes",
            None,
            "",
            &names.join(" | "),
        )
    })
}

/// Reads the files at `paths` and attaches them to claim `id` in one transaction. A file that
/// cannot be read fails before anything is written; a file the claim refuses is named in the error.
fn add_claim_files(
    store: &mut Store,
    id: i64,
    paths: &[std::path::PathBuf],
    now: NaiveDateTime,
    me: Option<i64>,
) -> Result<(), StoreError> {
    let mut files = Vec::new();
    for path in paths {
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let bytes = std::fs::read(path)
            .map_err(|e| StoreError::Io(std::io::Error::new(e.kind(), format!("{name}: {e}"))))?;
        files.push((name, bytes));
    }
    store.write(|tx| {
        for (name, bytes) in &files {
            claims::add_file(tx, id, name, bytes, now, me).map_err(|e| match e {
                StoreError::Domain(d) => StoreError::File {
                    name: name.clone(),
                    reason: Box::new(d),
                },
                other => other,
            })?;
        }
        Ok(())
    })
}

/// Writes the weekly summary of `week` to `path`: CSV with a BOM, or XLSX and PDF with the
/// complaints and the targets and analysis too.
pub fn export_week(
    store: &Store,
    week: &str,
    path: &std::path::Path,
    format: ExportFormat,
    now: NaiveDateTime,
    settings: &crate::store::settings::Settings,
) -> Result<(), StoreError> {
    let (summary, detail) = week_tables(store, week, now, settings)?;
    let analysis = week_analysis(store, week, &summary, settings)?;
    write_export(
        &[
            ("summary", &summary),
            ("complaints", &detail),
            ("analysis", &analysis),
        ],
        path,
        format,
        &crate::pdf::Header::report(settings, "pdf.report_complaints", week),
    )
}

/// Writes the monthly claims report of `month` to `path`: CSV with a BOM, or XLSX and PDF with
/// the claims and the cause analysis too.
fn export_claim_month(
    store: &Store,
    month: &str,
    path: &std::path::Path,
    format: ExportFormat,
    settings: &crate::store::settings::Settings,
) -> Result<(), StoreError> {
    let (summary, detail) = month_tables(store, month)?;
    let analysis = month_analysis(store, month)?;
    write_export(
        &[
            ("summary", &summary),
            ("claims", &detail),
            ("analysis", &analysis),
        ],
        path,
        format,
        &crate::pdf::Header::report(settings, "pdf.report_claims", month),
    )
}

/// The week's figures against the targets and its analysis text, as a table for the exports
/// (`figure,value,target,met`): the waybill count, the complaint rate (complaints of the
/// summary's total row per waybill), the satisfaction rate, and the analysis and suggestions.
pub fn week_analysis(
    store: &Store,
    week: &str,
    summary: &report::Table,
    settings: &crate::store::settings::Settings,
) -> Result<report::Table, StoreError> {
    use crate::domain::money::format_percent;
    use report::Cell;
    let notes = complaints::week_notes(store.db(), week)?;
    let total = summary.rows.last();
    let column = |name: &str| -> i64 {
        let i = summary.header.iter().position(|h| h == name);
        match (total, i) {
            (Some(row), Some(i)) => match row[i] {
                Cell::Int(n) => n,
                _ => 0,
            },
            _ => 0,
        }
    };
    let (complaints, rated, satisfied) =
        (column("complaints"), column("rated"), column("satisfied"));
    let targets = settings.targets;
    let met = |m: Option<bool>| {
        Cell::Text(match m {
            Some(true) => "yes".to_owned(),
            Some(false) => "no".to_owned(),
            None => String::new(),
        })
    };
    let waybills = notes.waybills.filter(|w| *w > 0);
    #[expect(clippy::cast_precision_loss, reason = "counts are far below 2^52")]
    let rate = waybills.map_or(Cell::Empty, |w| {
        Cell::Text(format!("{:.3}%", complaints as f64 * 100.0 / w as f64))
    });
    let satisfaction = crate::domain::visit::percent(satisfied, rated)
        .map_or(Cell::Empty, |p| Cell::Text(format!("{p:.1}%")));
    let text = |s: &str| Cell::Text(s.to_owned());
    Ok(report::Table::new(
        &["figure", "value", "target", "met"],
        vec![
            vec![
                text("waybills"),
                waybills.map_or(Cell::Empty, Cell::Int),
                Cell::Empty,
                Cell::Empty,
            ],
            vec![
                text("complaint_rate"),
                rate,
                Cell::Text(format!("< {}", format_percent(targets.complaint_rate_bp))),
                met(waybills.and_then(|w| targets.complaint_rate_met(complaints, w))),
            ],
            vec![
                text("satisfaction"),
                satisfaction,
                Cell::Text(format!("≥ {}", format_percent(targets.satisfaction_bp))),
                met(targets.satisfaction_met(satisfied, rated)),
            ],
            vec![
                text("analysis"),
                Cell::Text(notes.analysis),
                Cell::Empty,
                Cell::Empty,
            ],
        ],
    ))
}

/// The claims month's cause analysis text, as a table for the exports (`figure,value`).
pub fn month_analysis(store: &Store, month: &str) -> Result<report::Table, StoreError> {
    let text = claims::month_analysis(store.db(), month)?;
    Ok(report::Table::new(
        &["figure", "value"],
        vec![vec![
            report::Cell::Text("analysis".to_owned()),
            report::Cell::Text(text),
        ]],
    ))
}

/// Writes the reception report of `from..=to` (a row per day or per month, the total last) to
/// `path` as CSV, XLSX or a PDF with the company's header — the figures and columns of
/// `frontdesk report reception`.
pub fn export_reception(
    store: &Store,
    (from, to, rows): (NaiveDate, NaiveDate, Rows),
    path: &std::path::Path,
    format: ExportFormat,
    settings: &crate::store::settings::Settings,
) -> Result<(), StoreError> {
    let rows = super::views::reception_rows(
        store.db(),
        (from, to, rows),
        settings.rules.greeting_limit_secs,
    )?;
    let table = report::reception::table(&rows);
    write_export(
        &[("reception", &table)],
        path,
        format,
        &crate::pdf::Header::report(settings, "pdf.report_reception", &format!("{from} — {to}")),
    )
}

/// A report's named tables as [`write_export`] takes them (borrowed).
pub fn sheets<'a>(
    tables: &'a [(&'static str, report::Table)],
) -> Vec<(&'static str, &'a report::Table)> {
    tables.iter().map(|(name, table)| (*name, table)).collect()
}

/// Writes a report's tables to `path`: CSV (the first table, with a BOM), XLSX (a sheet per
/// table) or an A4 PDF under `header` (every table, and the report's chart). Every report the
/// window exports and every `frontdesk report … --out FILE` is written here.
pub fn write_export(
    sheets: &[(&str, &report::Table)],
    path: &std::path::Path,
    format: ExportFormat,
    header: &crate::pdf::Header,
) -> Result<(), StoreError> {
    match format {
        ExportFormat::Csv => export(sheets, path, false),
        ExportFormat::Xlsx => export(sheets, path, true),
        ExportFormat::Pdf => {
            let pdf = crate::pdf::documents::report_tables(header.clone(), sheets)
                .map_err(|e| StoreError::Io(std::io::Error::other(e.to_string())))?;
            std::fs::write(path, pdf)?;
            Ok(())
        }
    }
}

/// Writes `record` as a PDF (on the exports worker).
fn print_record(
    store: &Store,
    record: crate::pdf::documents::Record,
    path: &std::path::Path,
) -> Result<(), StoreError> {
    let pdf = crate::pdf::documents::print(store, record)?;
    std::fs::write(path, pdf)?;
    Ok(())
}

/// Writes an export the user asked for from the window; a failure is a file error for the user.
pub(crate) fn export(
    sheets: &[(&str, &report::Table)],
    path: &std::path::Path,
    xlsx: bool,
) -> Result<(), StoreError> {
    report::write_file(sheets, path, xlsx)
        .map_err(|e| StoreError::Io(std::io::Error::other(e.to_string())))
}

/// The monthly claims table and the claims table of `month` (`2026-11`).
pub fn month_tables(
    store: &Store,
    month: &str,
) -> Result<(report::Table, report::Table), StoreError> {
    let (from, to) = report::claims::month_period(month)?;
    let list = claims::reported_between(store.db(), from, to)?;
    let order = claims::causes(store.db())?;
    let rows = report::claims::build(&list, &order);
    Ok((
        report::claims::table(&rows),
        report::claims::detail_table(&list),
    ))
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
    let list = complaints::received_between(store.db(), from, to)?;
    let order = complaints::categories(store.db())?;
    let rows = report::complaints::build(&list, &order, &settings.sla, now);
    Ok((
        report::complaints::table(&rows),
        report::complaints::detail_table(&list),
    ))
}
