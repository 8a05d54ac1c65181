//! Accounts: the first admin, login with Argon2id and lock-out, and account management.

use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::NaiveDateTime;

use super::db::Db;
use super::{Result, Store, StoreError, audit};
use crate::db_params;
use crate::domain::DomainError;
use crate::domain::account::{
    AccountRole, Action, Actor, LoginOutcome, check_first_admin, check_new_account, check_password,
    is_locked, login_outcome,
};

/// A PHC string with the same Argon2id parameters as real hashes and a password nobody knows.
/// Checked instead of a real hash when the user is unknown or locked, so every refused login
/// costs the same work.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$ZmFrZWhhc2hmYWtlaGFzaGZha2VoYXNoZmFrZWhhc2g";

/// Argon2id with OWASP's minimum: m = 19 MiB, t = 2, p = 1.
fn hasher() -> Result<Argon2<'static>> {
    let params = Params::new(19 * 1024, 2, 1, None)
        .map_err(|e| StoreError::Io(std::io::Error::other(e.to_string())))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password as a PHC string.
pub fn hash_password(password: &str) -> Result<String> {
    hasher()?
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Io(std::io::Error::other(e.to_string())))
}

fn verify(password: &str, phc: &str) -> bool {
    hasher().is_ok_and(|h| h.verify_password(password.as_bytes(), phc).is_ok())
}

/// An account as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// Id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Shown name.
    pub display_name: String,
    /// Role.
    pub role: AccountRole,
    /// Active.
    pub active: bool,
    /// Locked until.
    pub locked_until: Option<NaiveDateTime>,
    /// Failed logins since the last successful one (or the last unlock).
    pub failed_logins: i64,
    /// When the last failed login (or refused attempt while locked) happened.
    pub last_failed_at: Option<NaiveDateTime>,
}

/// Number of accounts.
pub fn count<'a>(db: impl Into<Db<'a>>) -> Result<i64> {
    db.into()
        .query_value("SELECT count(*) FROM accounts", db_params![])
}

fn insert(
    db: Db<'_>,
    username: &str,
    display_name: &str,
    role: AccountRole,
    password: &str,
    now: NaiveDateTime,
) -> Result<i64> {
    let (username, display_name) = check_new_account(username, display_name, password)?;
    let taken: bool = db.query_value(
        "SELECT EXISTS(SELECT 1 FROM accounts WHERE username = ?1)",
        db_params![username],
    )?;
    if taken {
        return Err(DomainError::Invalid {
            field: "account.username",
            reason: "err.username_taken",
        }
        .into());
    }
    let id: i64 = db.query_value(
        "INSERT INTO accounts (username, display_name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
         RETURNING id",
        db_params![username, display_name, role.code(), hash_password(password)?, now],
    )?;
    audit::record(
        db,
        now,
        "create",
        "account",
        Some(id),
        "",
        &format!("{username} {}", role.code()),
    )?;
    Ok(id)
}

/// Creates the first admin account; refused once any account exists.
pub fn create_first_admin<'a>(
    db: impl Into<Db<'a>>,
    username: &str,
    display_name: &str,
    password: &str,
    now: NaiveDateTime,
) -> Result<i64> {
    let db = db.into();
    check_first_admin(count(db)?)?;
    insert(
        db,
        username,
        display_name,
        AccountRole::Admin,
        password,
        now,
    )
}

/// Creates an account (admins only: use `write_as(Action::ManageAccounts, …)`).
pub fn create<'a>(
    db: impl Into<Db<'a>>,
    username: &str,
    display_name: &str,
    role: AccountRole,
    password: &str,
    now: NaiveDateTime,
) -> Result<i64> {
    insert(db.into(), username, display_name, role, password, now)
}

/// All accounts.
pub fn list<'a>(db: impl Into<Db<'a>>) -> Result<Vec<Account>> {
    // The time of the last failure comes from the audit trail, which records every refused login.
    db.into().query_map(
        "SELECT a.id, a.username, a.display_name, a.role, a.active, a.locked_until, a.failed_logins,
                (SELECT max(u.at) FROM audit u WHERE u.entity = 'account' AND u.entity_id = a.id
                    AND u.action IN ('login_failed', 'login_locked'))
         FROM accounts a ORDER BY a.username",
        db_params![],
        |r| {
        let role: String = r.get(3)?;
        Ok(Account {
            id: r.get(0)?,
            username: r.get(1)?,
            display_name: r.get(2)?,
            role: AccountRole::from_code(&role).unwrap_or(AccountRole::FrontDesk),
            active: r.get(4)?,
            locked_until: r.get(5)?,
            failed_logins: r.get(6)?,
            last_failed_at: r.get(7)?,
        })
    })
}

/// Activates or deactivates an account, or resets its password (and lock).
pub fn update<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    active: bool,
    new_password: Option<&str>,
    now: NaiveDateTime,
) -> Result<()> {
    let db = db.into();
    let before: (String, bool) = db.query_row(
        "SELECT username, active FROM accounts WHERE id = ?1",
        db_params![id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    db.execute(
        "UPDATE accounts SET active = ?2 WHERE id = ?1",
        db_params![id, active],
    )?;
    if let Some(pw) = new_password {
        check_password(pw)?;
        db.execute(
            "UPDATE accounts SET password_hash = ?2, failed_logins = 0, locked_until = NULL WHERE id = ?1",
            db_params![id, hash_password(pw)?],
        )?;
    }
    let after = format!(
        "active={active}{}",
        if new_password.is_some() {
            ", password reset"
        } else {
            ""
        }
    );
    audit::record(
        db,
        now,
        "update",
        "account",
        Some(id),
        &format!("{} active={}", before.0, before.1),
        &after,
    )
}

/// Clears an account's failed logins and lock-out (解除锁定), with an audit entry. Admins only:
/// runs under [`Action::ManageAccounts`] and is refused for anyone else.
pub fn unlock(store: &mut Store, id: i64, now: NaiveDateTime) -> Result<()> {
    store.write_as(Action::ManageAccounts, |tx| clear_lock(tx, id, now))
}

/// The write of [`unlock`], for a transaction already checked for [`Action::ManageAccounts`]
/// (on PostgreSQL: `server::write(.., Action::ManageAccounts, ..)`).
pub fn clear_lock<'a>(db: impl Into<Db<'a>>, id: i64, now: NaiveDateTime) -> Result<()> {
    let db = db.into();
    let (username, failures, locked): (String, i64, Option<String>) = db.query_row(
        "SELECT username, failed_logins, locked_until FROM accounts WHERE id = ?1",
        db_params![id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    db.execute(
        "UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = ?1",
        db_params![id],
    )?;
    audit::record(
        db,
        now,
        "unlock",
        "account",
        Some(id),
        &format!(
            "{username} failed_logins={failures} locked_until={}",
            locked.unwrap_or_default()
        ),
        "failed_logins=0",
    )
}

/// `(id, display_name, role, password_hash, active, failed_logins, locked_until)`.
type LoginRow = (
    i64,
    String,
    String,
    String,
    bool,
    i64,
    Option<NaiveDateTime>,
);

/// Logs in. An unknown user, a locked account, a deactivated account and a wrong password get
/// the same answer after the same work (one Argon2 check: against [`DUMMY_HASH`] when the user is
/// unknown or locked), so neither the message nor the time tells which accounts exist or are
/// locked. Failed attempts are counted per account and lock it for a growing time, at most
/// [`crate::domain::account::MAX_LOCKOUT_MINUTES`]; attempts while locked are refused without
/// looking at the password and recorded, but do not lengthen the lock. A successful login resets
/// the count. A refused login is `Ok(Err(..))` so that the transaction commits the failure count;
/// [`login_or_refuse`] turns it into an error.
pub fn login<'a>(
    db: impl Into<Db<'a>>,
    username: &str,
    password: &str,
    now: NaiveDateTime,
) -> Result<Result<Actor, DomainError>> {
    let db = db.into();
    let wrong = || DomainError::WrongState("err.login_failed");
    let row: Option<LoginRow> = db.query_opt(
        "SELECT id, display_name, role, password_hash, active, failed_logins, locked_until FROM accounts WHERE username = ?1",
        db_params![username.trim()],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
    )?;
    let Some((id, name, role, phc, active, failures, locked)) = row else {
        // The same work as a real check; the typed name is not recorded (it may be a password).
        let _ = verify(password, DUMMY_HASH);
        audit::record(db, now, "login_failed", "account", None, "", "")?;
        return Ok(Err(wrong()));
    };
    if is_locked(locked, now) {
        let _ = verify(password, DUMMY_HASH);
        audit::record(
            db,
            now,
            "login_locked",
            "account",
            Some(id),
            "",
            &failures.to_string(),
        )?;
        return Ok(Err(wrong()));
    }
    // Checked before `active`, so a deactivated account costs the same time.
    let password_matches = verify(password, &phc);
    if let LoginOutcome::Refused {
        failed_logins,
        locked_until,
    } = login_outcome(active, password_matches, failures, now)
    {
        db.execute(
            "UPDATE accounts SET failed_logins = ?2, locked_until = ?3 WHERE id = ?1",
            db_params![id, failed_logins, locked_until],
        )?;
        audit::record(
            db,
            now,
            "login_failed",
            "account",
            Some(id),
            "",
            &failed_logins.to_string(),
        )?;
        return Ok(Err(wrong()));
    }
    db.execute(
        "UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = ?1",
        db_params![id],
    )?;
    audit::record(db, now, "login", "account", Some(id), "", &name)?;
    Ok(Ok(Actor {
        account_id: Some(id),
        name,
        role: AccountRole::from_code(&role).unwrap_or(AccountRole::FrontDesk),
    }))
}

/// Logs in through `store`, committing the failure count of a refused attempt.
pub fn login_or_refuse(
    store: &mut super::Store,
    username: &str,
    password: &str,
    now: NaiveDateTime,
) -> Result<Actor> {
    Ok(store.write(|tx| login(tx, username, password, now))??)
}

/// The stored PHC string of an account (tests read the Argon2 parameters back).
pub fn password_hash_of<'a>(db: impl Into<Db<'a>>, username: &str) -> Result<String> {
    db.into().query_value(
        "SELECT password_hash FROM accounts WHERE username = ?1",
        db_params![username],
    )
}

#[cfg(test)]
mod tests {
    use argon2::PasswordHash;

    use super::*;

    /// The dummy hash must cost what a real one costs: the same algorithm and parameters.
    #[test]
    fn the_dummy_hash_has_the_real_parameters() {
        let dummy = PasswordHash::new(DUMMY_HASH).unwrap();
        let params = Params::try_from(&dummy).unwrap();
        let real = hasher().unwrap();
        assert_eq!(dummy.algorithm.as_str(), "argon2id");
        assert_eq!(params.m_cost(), real.params().m_cost());
        assert_eq!(params.t_cost(), real.params().t_cost());
        assert_eq!(params.p_cost(), real.params().p_cost());
        assert_eq!(dummy.hash.map(|h| h.len()), Some(32));
        assert!(!verify("", DUMMY_HASH));
    }
}
