//! The customer archive, as far as reception needs it: find, create, fill in.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension as _, Row, Transaction, params};

use super::{Result, StoreError, ts};
use crate::domain::customer::{Customer, Honorific};

fn from_row(r: &Row<'_>) -> rusqlite::Result<Customer> {
    let honorific: Option<String> = r.get("honorific")?;
    Ok(Customer {
        id: r.get("id")?,
        surname: r.get("surname")?,
        honorific: honorific.as_deref().and_then(Honorific::parse),
        name: r.get("name")?,
        phone: r.get("phone")?,
        company: r.get("company")?,
        region: r.get("region")?,
    })
}

const COLUMNS: &str = "id, surname, honorific, name, phone, company, region";

/// One customer.
pub fn get(conn: &Connection, id: i64) -> Result<Customer> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM customers WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or(StoreError::NotFound)
}

/// The customer with exactly this (normalised) phone number, if any.
pub fn by_phone(conn: &Connection, phone: &str) -> Result<Option<Customer>> {
    if phone.is_empty() {
        return Ok(None);
    }
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM customers WHERE phone = ?1 ORDER BY id LIMIT 1"),
            [phone],
            from_row,
        )
        .optional()?)
}

/// Removes GLOB wildcards so user text matches literally.
fn glob_literal(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '*' | '?' | '[' | ']'))
        .collect()
}

/// Customers matching what is being typed at registration: phone prefix or the last digits of
/// a phone (4 or more), or a name/surname prefix. At most `limit`, best matches first.
pub fn suggest(conn: &Connection, query: &str, limit: usize) -> Result<Vec<Customer>> {
    let q = glob_literal(query.trim());
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let digits: String = q.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let is_phone = digits.chars().all(|c| c.is_ascii_digit() || c == '+');
    // Prefixes are matched as index ranges (`x >= q AND x < q || max`), phone tails through the
    // index on the last four digits, so suggestions stay fast on a large archive.
    let mut stmt = if is_phone {
        conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM customers
             WHERE (phone >= ?1 AND phone < ?1 || ':')
                OR (length(?1) >= 4 AND substr(phone, -4) = substr(?1, -4) AND phone GLOB '*' || ?1)
             ORDER BY phone >= ?1 AND phone < ?1 || ':' DESC, updated_at DESC LIMIT ?2"
        ))?
    } else {
        conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM customers
             WHERE (name >= ?1 AND name < ?1 || char(1114111)) OR surname = ?1
                OR (company >= ?1 AND company < ?1 || char(1114111))
             ORDER BY name = ?1 DESC, updated_at DESC LIMIT ?2"
        ))?
    };
    let key = if is_phone { digits } else { q };
    let rows = stmt.query_map(params![key, i64::try_from(limit).unwrap_or(10)], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Adds a customer.
pub fn insert(tx: &Transaction<'_>, c: &Customer, now: NaiveDateTime) -> Result<i64> {
    tx.execute(
        "INSERT INTO customers (surname, honorific, name, phone, company, region, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![
            c.surname,
            c.honorific.map(Honorific::as_zh),
            c.name,
            c.phone,
            c.company,
            c.region,
            ts(now)
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Updates a returning customer with what was typed this time; blank fields keep the archive's value.
pub fn fill_in(tx: &Transaction<'_>, id: i64, c: &Customer, now: NaiveDateTime) -> Result<()> {
    let changed = tx.execute(
        "UPDATE customers SET
            surname = CASE WHEN ?2 <> '' THEN ?2 ELSE surname END,
            honorific = coalesce(?3, honorific),
            name = CASE WHEN ?4 <> '' THEN ?4 ELSE name END,
            phone = CASE WHEN ?5 <> '' THEN ?5 ELSE phone END,
            company = CASE WHEN ?6 <> '' THEN ?6 ELSE company END,
            region = CASE WHEN ?7 <> '' THEN ?7 ELSE region END,
            updated_at = ?8
         WHERE id = ?1",
        params![
            id,
            c.surname,
            c.honorific.map(Honorific::as_zh),
            c.name,
            c.phone,
            c.company,
            c.region,
            ts(now)
        ],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Number of customers in the archive.
pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?)
}
