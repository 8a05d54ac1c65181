//! Commands of the waybill change requests (更改收货人、联系电话): each one sealed write. Any
//! desk records a request, the department's answer and that the customer was told.

use chrono::NaiveDateTime;

use super::WaybillCommand;
use crate::store::waybill_changes;
use crate::store::{Store, StoreError};

impl WaybillCommand {
    /// The translation key of the success message.
    pub fn success_key(&self) -> &'static str {
        match self {
            Self::Record(_) => "waybill.ok_recorded",
            Self::Answer { .. } => "waybill.ok_answered",
            Self::Confirm { .. } => "waybill.ok_confirmed",
            Self::Export { .. } => "app.ok_exported",
        }
    }
}

/// Applies `cmd` at `now` by staff member `me` (the one on duty); returns the id of a request
/// it recorded.
pub fn apply(
    store: &mut Store,
    cmd: &WaybillCommand,
    now: NaiveDateTime,
    me: Option<i64>,
) -> Result<Option<i64>, StoreError> {
    match cmd {
        WaybillCommand::Record(draft) => store
            .write(|tx| waybill_changes::record(tx, draft, now, me))
            .map(Some),
        WaybillCommand::Answer {
            id,
            handled_by,
            changed,
            note,
        } => store
            .write(|tx| waybill_changes::answer(tx, *id, handled_by, *changed, note, now))
            .map(|()| None),
        WaybillCommand::Confirm { id, note } => store
            .write(|tx| waybill_changes::confirm(tx, *id, me, note, now))
            .map(|()| None),
        WaybillCommand::Export {
            month,
            path,
            format,
        } => {
            export(store, month, path, *format, now)?;
            Ok(None)
        }
    }
}

/// The sheets of the requests recorded in `month` (`YYYY-MM`), late ones judged at `now` (see
/// [`crate::report::waybills`]): the rows first (a CSV file holds them alone), then the summary.
pub fn waybill_tables(
    db: crate::store::db::Db<'_>,
    month: &str,
    now: NaiveDateTime,
) -> Result<Vec<(&'static str, crate::report::Table)>, StoreError> {
    let (from, to) = crate::report::claims::month_period(month)?;
    let changes = waybill_changes::between(db, from, to)?;
    let staff = crate::store::staff::all(db)?;
    let name = |id: Option<i64>| {
        id.and_then(|id| staff.iter().find(|s| s.id == id))
            .map_or_else(String::new, |s| s.name.clone())
    };
    let (summary, rows) = crate::report::waybills::tables(&changes, now, name);
    Ok(vec![("waybill_changes", rows), ("summary", summary)])
}

/// Writes the requests of `month` (`YYYY-MM`), late ones judged at `now`, as CSV (the rows),
/// XLSX or PDF (the rows and the summary) from the window.
pub fn export(
    store: &Store,
    month: &str,
    path: &std::path::Path,
    format: super::ExportFormat,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let tables = waybill_tables(store.db(), month, now)?;
    let settings = crate::store::settings::load(store.db())?;
    super::write_export(
        &super::service::sheets(&tables),
        path,
        format,
        &crate::pdf::Header::report(&settings, "pdf.report_waybills", month),
    )
}
