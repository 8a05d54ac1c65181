//! Supervisor commands: inspections, templates, rectifications, rewards and penalties, accounts.
//! Each runs under the permission it needs; the store refuses it for anyone else.

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::account::{AccountRole, Action};
use crate::domain::inspection::{Inspection, RewardPenalty};
use crate::store::inspections::{self, Template};
use crate::store::{Store, StoreError, accounts};

/// A supervisor command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SupervisorCommand {
    /// Save an inspection done from a template.
    SaveInspection {
        /// The inspection.
        inspection: Box<Inspection>,
        /// The template used.
        template_id: Option<i64>,
    },
    /// Raise a rectification from a failed item.
    RaiseRectification {
        /// The failed item.
        item_id: i64,
        /// Owner's name.
        owner: String,
        /// Owner as a staff member.
        owner_staff_id: Option<i64>,
        /// What must be done.
        requirement: String,
        /// By when.
        due: NaiveDate,
    },
    /// Verify a rectification.
    VerifyRectification {
        /// Rectification.
        id: i64,
        /// Passed.
        passed: bool,
        /// Note.
        note: String,
    },
    /// Record a reward or a penalty.
    AddRewardPenalty(RewardPenalty),
    /// Save a template (a copy, or an edited non-built-in one).
    SaveTemplate(Template),
    /// Create an account (admin).
    CreateAccount {
        /// Login name.
        username: String,
        /// Shown name.
        display_name: String,
        /// Role.
        role: AccountRole,
        /// Initial password.
        password: String,
    },
    /// Activate/deactivate an account or reset its password (admin).
    UpdateAccount {
        /// Account.
        id: i64,
        /// Active.
        active: bool,
        /// New password.
        password: Option<String>,
    },
}

impl SupervisorCommand {
    /// The translation key of the success message.
    pub fn success_key(&self) -> &'static str {
        match self {
            Self::SaveInspection { .. } => "sup.ok_inspection",
            Self::RaiseRectification { .. } => "sup.ok_rectification",
            Self::VerifyRectification { .. } => "sup.ok_verified",
            Self::AddRewardPenalty(_) => "sup.ok_reward",
            Self::SaveTemplate(_) => "sup.ok_template",
            Self::CreateAccount { .. } | Self::UpdateAccount { .. } => "sup.ok_account",
        }
    }
}

/// Applies `cmd`; returns the id of a record it created, if any.
pub fn apply(
    store: &mut Store,
    cmd: &SupervisorCommand,
    now: NaiveDateTime,
) -> Result<Option<i64>, StoreError> {
    use SupervisorCommand as C;
    let inspector_id = store.actor().account_id;
    let me = store.actor().name.clone();
    Ok(match cmd {
        C::SaveInspection {
            inspection,
            template_id,
        } => {
            let mut i = (**inspection).clone();
            i.at = now;
            i.inspector = me;
            Some(store.write_as(Action::Inspect, |tx| {
                inspections::create(tx, &i, inspector_id, *template_id)
            })?)
        }
        C::RaiseRectification {
            item_id,
            owner,
            owner_staff_id,
            requirement,
            due,
        } => Some(store.write_as(Action::Inspect, |tx| {
            inspections::raise_rectification(
                tx,
                *item_id,
                owner,
                *owner_staff_id,
                requirement,
                *due,
                now,
            )
        })?),
        C::VerifyRectification { id, passed, note } => {
            store.write_as(Action::Inspect, |tx| {
                inspections::verify(tx, *id, &me, *passed, note, now)
            })?;
            None
        }
        C::AddRewardPenalty(rp) => Some(store.write_as(Action::RewardPenalty, |tx| {
            inspections::add_reward_penalty(tx, rp, now)
        })?),
        C::SaveTemplate(t) => {
            Some(store.write_as(Action::Inspect, |tx| inspections::save_template(tx, t, now))?)
        }
        C::CreateAccount {
            username,
            display_name,
            role,
            password,
        } => Some(store.write_as(Action::ManageAccounts, |tx| {
            accounts::create(tx, username, display_name, *role, password, now)
        })?),
        C::UpdateAccount {
            id,
            active,
            password,
        } => {
            store.write_as(Action::ManageAccounts, |tx| {
                accounts::update(tx, *id, *active, password.as_deref(), now)
            })?;
            None
        }
    })
}
