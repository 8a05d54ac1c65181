//! Commands of the on-site incident log (突发事件): each one sealed write. Staff at the desk and
//! supervisors alike record and resolve incidents.

use chrono::NaiveDateTime;

use super::IncidentCommand;
use crate::store::{Store, StoreError};

impl IncidentCommand {
    /// The translation key of the success message.
    pub fn success_key(&self) -> &'static str {
        match self {
            Self::Record(_) => "incident.ok_recorded",
            Self::Resolve { .. } => "incident.ok_resolved",
        }
    }
}

/// Applies `cmd` at `now` by staff member `me` (the one on duty); returns the id of an incident
/// it recorded.
pub fn apply(
    store: &mut Store,
    cmd: &IncidentCommand,
    now: NaiveDateTime,
    me: Option<i64>,
) -> Result<Option<i64>, StoreError> {
    match cmd {
        IncidentCommand::Record(draft) => store
            .write(|tx| crate::store::incidents::record(tx, draft, now, me))
            .map(Some),
        IncidentCommand::Resolve {
            id,
            handling,
            customers_informed,
        } => store
            .write(|tx| {
                crate::store::incidents::resolve(tx, *id, handling, *customers_informed, now)
            })
            .map(|()| None),
    }
}
