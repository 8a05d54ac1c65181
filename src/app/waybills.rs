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
    }
}
