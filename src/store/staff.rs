//! Staff members: add, edit, deactivate; listed wherever a person is named.

use rusqlite::{Connection, Row, Transaction, params};

use super::{Result, StoreError, ts};
use crate::domain::staff::{Role, Staff, validate_staff_name};

fn from_row(r: &Row<'_>) -> rusqlite::Result<Staff> {
    let role: String = r.get("role")?;
    Ok(Staff {
        id: r.get("id")?,
        name: r.get("name")?,
        role: Role::from_code(&role).unwrap_or(Role::ServiceRep),
        active: r.get("active")?,
    })
}

/// All staff, active first, then by name.
pub fn all(conn: &Connection) -> Result<Vec<Staff>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, role, active FROM staff ORDER BY active DESC, name COLLATE NOCASE, id",
    )?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Adds a staff member.
pub fn add(
    tx: &Transaction<'_>,
    name: &str,
    role: Role,
    now: chrono::NaiveDateTime,
) -> Result<i64> {
    let name = validate_staff_name(name)?;
    tx.execute(
        "INSERT INTO staff (name, role, active, created_at) VALUES (?1, ?2, 1, ?3)",
        params![name, role.code(), ts(now)],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Changes a staff member's name, role and active flag.
pub fn update(tx: &Transaction<'_>, staff: &Staff) -> Result<()> {
    let name = validate_staff_name(&staff.name)?;
    let changed = tx.execute(
        "UPDATE staff SET name = ?1, role = ?2, active = ?3 WHERE id = ?4",
        params![name, staff.role.code(), staff.active, staff.id],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
