//! Staff members: add, edit, deactivate; listed wherever a person is named.

use super::db::{Db, Row};
use super::{Result, StoreError};
use crate::db_params;
use crate::domain::staff::{Role, Staff, validate_staff_name};

fn from_row(r: &Row<'_>) -> Result<Staff> {
    let role: String = r.get(2)?;
    Ok(Staff {
        id: r.get(0)?,
        name: r.get(1)?,
        role: Role::from_code(&role).unwrap_or(Role::ServiceRep),
        active: r.get(3)?,
    })
}

/// All staff, active first, then by name (ASCII letters ignoring case, as SQLite's `NOCASE`).
pub fn all<'a>(db: impl Into<Db<'a>>) -> Result<Vec<Staff>> {
    db.into().query_map(
        "SELECT id, name, role, active FROM staff ORDER BY active DESC, lower(name), id",
        db_params![],
        from_row,
    )
}

/// Adds a staff member.
pub fn add<'a>(
    db: impl Into<Db<'a>>,
    name: &str,
    role: Role,
    now: chrono::NaiveDateTime,
) -> Result<i64> {
    let name = validate_staff_name(name)?;
    db.into().query_value(
        "INSERT INTO staff (name, role, active, created_at) VALUES (?1, ?2, 1, ?3) RETURNING id",
        db_params![name, role.code(), now],
    )
}

/// Changes a staff member's name, role and active flag.
pub fn update<'a>(db: impl Into<Db<'a>>, staff: &Staff) -> Result<()> {
    let name = validate_staff_name(&staff.name)?;
    let changed = db.into().execute(
        "UPDATE staff SET name = ?1, role = ?2, active = ?3 WHERE id = ?4",
        db_params![name, staff.role.code(), staff.active, staff.id],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
