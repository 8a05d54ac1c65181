//! Accounts, roles and what each role may do (checked in the store on every write and on every
//! read of supervisor data).

use chrono::{Duration, NaiveDateTime};

use super::DomainError;

/// A role of an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccountRole {
    /// 前台: the desk (no login needed on the desk PC).
    FrontDesk,
    /// 主管: supervisor.
    Supervisor,
    /// 管理员: admin.
    Admin,
}

impl AccountRole {
    /// Every role.
    pub const ALL: [Self; 3] = [Self::FrontDesk, Self::Supervisor, Self::Admin];

    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::FrontDesk => "front_desk",
            Self::Supervisor => "supervisor",
            Self::Admin => "admin",
        }
    }

    /// Parses a stored code.
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == s)
    }

    /// Translation key of the label.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::FrontDesk => "account.role_front_desk",
            Self::Supervisor => "account.role_supervisor",
            Self::Admin => "account.role_admin",
        }
    }
}

/// Something a user does that needs permission.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Reception, calls, callbacks, complaints and claims work; language and desk operator.
    DeskWork,
    /// Change reception and complaint settings, staff, categories and causes.
    ChangeSettings,
    /// Read supervisor data: inbox, inspections, rewards and penalties, dashboard, audit trail.
    ReadSupervisorData,
    /// Acknowledge inbox entries.
    AcknowledgeInbox,
    /// Run inspections, edit templates, raise and verify rectifications.
    Inspect,
    /// Record rewards and penalties.
    RewardPenalty,
    /// Create and change accounts.
    ManageAccounts,
    /// Replace the database with a backup.
    RestoreBackup,
}

impl Action {
    /// Every action (the permission test walks them all).
    pub const ALL: [Self; 8] = [
        Self::DeskWork,
        Self::ChangeSettings,
        Self::ReadSupervisorData,
        Self::AcknowledgeInbox,
        Self::Inspect,
        Self::RewardPenalty,
        Self::ManageAccounts,
        Self::RestoreBackup,
    ];
}

/// Whether `role` may do `action`.
pub fn allowed(role: AccountRole, action: Action) -> bool {
    use AccountRole as R;
    match action {
        Action::DeskWork => true,
        Action::ChangeSettings
        | Action::ReadSupervisorData
        | Action::AcknowledgeInbox
        | Action::Inspect
        | Action::RewardPenalty => matches!(role, R::Supervisor | R::Admin),
        Action::ManageAccounts | Action::RestoreBackup => role == R::Admin,
    }
}

/// Who is acting: a logged-in account, or the desk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// The account, when logged in.
    pub account_id: Option<i64>,
    /// Shown in the audit trail.
    pub name: String,
    /// Role.
    pub role: AccountRole,
}

impl Actor {
    /// The desk PC without a login.
    pub fn desk() -> Self {
        Self {
            account_id: None,
            name: "前台".into(),
            role: AccountRole::FrontDesk,
        }
    }

    /// The command line, run by whoever may open the database file (the office IT person).
    pub fn system() -> Self {
        Self {
            account_id: None,
            name: "命令行".into(),
            role: AccountRole::Admin,
        }
    }

    /// Refuses `action` unless allowed.
    pub fn require(&self, action: Action) -> Result<(), DomainError> {
        if allowed(self.role, action) {
            Ok(())
        } else {
            Err(DomainError::WrongState("err.not_allowed"))
        }
    }
}

/// Failed logins before the account locks.
pub const FREE_ATTEMPTS: i64 = 5;

/// The longest lock-out, in minutes: long enough to slow guessing down to a few tries an hour,
/// short enough that nobody at the desk can keep an admin out for long.
pub const MAX_LOCKOUT_MINUTES: i64 = 15;

/// How long an account stays locked after `failures` failed logins: none up to four, then one
/// minute doubling with every further failure, at most [`MAX_LOCKOUT_MINUTES`].
pub fn lockout(failures: i64) -> Option<Duration> {
    if failures < FREE_ATTEMPTS {
        return None;
    }
    let exp = u32::try_from((failures - FREE_ATTEMPTS).min(10)).unwrap_or(10);
    Some(Duration::minutes(2i64.pow(exp).min(MAX_LOCKOUT_MINUTES)))
}

/// Whether an account locked until `until` is still locked at `now`.
pub fn is_locked(until: Option<NaiveDateTime>, now: NaiveDateTime) -> bool {
    until.is_some_and(|u| now < u)
}

/// Checks a new password: at least 8 characters, not only digits.
pub fn check_password(pw: &str) -> Result<(), DomainError> {
    if pw.chars().count() < 8 || pw.chars().all(|c| c.is_ascii_digit()) {
        return Err(DomainError::Invalid {
            field: "account.password",
            reason: "err.weak_password",
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_and_action() {
        // The whole matrix, spelled out: (role, action, allowed).
        use AccountRole as R;
        let expected = [
            (
                R::FrontDesk,
                [true, false, false, false, false, false, false],
            ),
            (R::Supervisor, [true, true, true, true, true, true, false]),
            (R::Admin, [true, true, true, true, true, true, true]),
        ];
        for (role, row) in expected {
            for (action, ok) in Action::ALL.into_iter().zip(row) {
                assert_eq!(allowed(role, action), ok, "{role:?} × {action:?}");
            }
        }
    }

    #[test]
    fn lockout_grows() {
        assert_eq!(lockout(4), None);
        assert_eq!(lockout(5), Some(Duration::minutes(1)));
        assert_eq!(lockout(6), Some(Duration::minutes(2)));
        assert_eq!(lockout(8), Some(Duration::minutes(8)));
        assert_eq!(lockout(9), Some(Duration::minutes(MAX_LOCKOUT_MINUTES)));
        assert_eq!(lockout(40), Some(Duration::minutes(MAX_LOCKOUT_MINUTES)));
        assert_eq!(
            lockout(i64::MAX),
            Some(Duration::minutes(MAX_LOCKOUT_MINUTES))
        );
    }

    #[test]
    fn passwords() {
        assert!(check_password("12345678").is_err());
        assert!(check_password("abc").is_err());
        assert!(check_password("前台2026安全").is_ok());
    }
}
