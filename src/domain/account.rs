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

/// Checks a new account: a login name and a shown name (both trimmed), and a password that
/// passes [`check_password`]. Returns the trimmed login and shown names.
pub fn check_new_account(
    username: &str,
    display_name: &str,
    password: &str,
) -> Result<(String, String), DomainError> {
    let (username, display_name) = (username.trim(), display_name.trim());
    if username.is_empty() || display_name.is_empty() {
        return Err(DomainError::Invalid {
            field: "account.username",
            reason: "err.required",
        });
    }
    check_password(password)?;
    Ok((username.to_owned(), display_name.to_owned()))
}

/// Checks that the first admin may be created: only while no account exists.
pub fn check_first_admin(existing_accounts: i64) -> Result<(), DomainError> {
    if existing_accounts > 0 {
        return Err(DomainError::WrongState("err.admin_exists"));
    }
    Ok(())
}

/// What a login attempt on an account that is not locked leads to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoginOutcome {
    /// Logged in: the failure count starts again from 0, any lock is lifted.
    Accepted,
    /// Refused: the failure count after this attempt and the lock it brings.
    Refused {
        /// Failed logins, this one included.
        failed_logins: i64,
        /// Locked until then ([`lockout`]), if at all.
        locked_until: Option<NaiveDateTime>,
    },
}

/// Decides a login attempt at `now` on an account that is not locked: accepted only when the
/// account is active and the password matches; otherwise one more failure, which may lock the
/// account.
pub fn login_outcome(
    active: bool,
    password_matches: bool,
    failed_logins: i64,
    now: NaiveDateTime,
) -> LoginOutcome {
    if active && password_matches {
        return LoginOutcome::Accepted;
    }
    let failed_logins = failed_logins.saturating_add(1);
    LoginOutcome::Refused {
        failed_logins,
        locked_until: lockout(failed_logins).map(|d| now + d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_and_action() {
        // The whole matrix, spelled out: (role, action, allowed).
        use AccountRole as R;
        // Rows are as long as `Action::ALL`: a new action cannot be left out of the matrix.
        let expected: [(AccountRole, [bool; Action::ALL.len()]); 3] = [
            (
                R::FrontDesk,
                [true, false, false, false, false, false, false, false],
            ),
            (
                R::Supervisor,
                [true, true, true, true, true, true, false, false],
            ),
            (R::Admin, [true, true, true, true, true, true, true, true]),
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

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn logins_count_failures_and_lock() {
        let now = at("2026-11-23 09:00:00");
        assert_eq!(login_outcome(true, true, 7, now), LoginOutcome::Accepted);
        assert_eq!(
            login_outcome(true, false, 0, now),
            LoginOutcome::Refused {
                failed_logins: 1,
                locked_until: None
            }
        );
        assert_eq!(
            login_outcome(true, false, 3, now),
            LoginOutcome::Refused {
                failed_logins: 4,
                locked_until: None
            },
            "four failures are free"
        );
        assert_eq!(
            login_outcome(true, false, 4, now),
            LoginOutcome::Refused {
                failed_logins: 5,
                locked_until: Some(at("2026-11-23 09:01:00"))
            }
        );
        assert_eq!(
            login_outcome(true, false, 20, now),
            LoginOutcome::Refused {
                failed_logins: 21,
                locked_until: Some(at("2026-11-23 09:15:00"))
            }
        );
        assert_eq!(
            login_outcome(false, true, 0, now),
            LoginOutcome::Refused {
                failed_logins: 1,
                locked_until: None
            },
            "a deactivated account fails like a wrong password"
        );
        assert_eq!(
            login_outcome(false, false, i64::MAX, now),
            LoginOutcome::Refused {
                failed_logins: i64::MAX,
                locked_until: Some(at("2026-11-23 09:15:00"))
            }
        );
    }

    #[test]
    fn new_accounts() {
        assert_eq!(
            check_new_account(" wuhao ", " 吴昊 ", "前台2026安全"),
            Ok(("wuhao".to_owned(), "吴昊".to_owned()))
        );
        let required = Err(DomainError::Invalid {
            field: "account.username",
            reason: "err.required",
        });
        assert_eq!(check_new_account(" ", "吴昊", "前台2026安全"), required);
        assert_eq!(check_new_account("wuhao", "", "前台2026安全"), required);
        assert_eq!(
            check_new_account("", "吴昊", "1"),
            required,
            "names are checked before the password"
        );
        assert_eq!(
            check_new_account("wuhao", "吴昊", "12345678"),
            Err(DomainError::Invalid {
                field: "account.password",
                reason: "err.weak_password"
            })
        );
        assert_eq!(check_first_admin(0), Ok(()));
        assert_eq!(
            check_first_admin(1),
            Err(DomainError::WrongState("err.admin_exists"))
        );
    }

    #[test]
    fn passwords() {
        assert!(check_password("12345678").is_err());
        assert!(check_password("abc").is_err());
        assert!(check_password("前台2026安全").is_ok());
    }
}
