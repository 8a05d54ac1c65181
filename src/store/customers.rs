//! The customer archive, as far as reception needs it: find, create, fill in.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension as _, Row, Transaction, params};

use super::{Result, StoreError, ts};
use crate::domain::customer::{self, Customer, Honorific};

pub use crate::domain::customer::{CustomerFile, ImportedCustomer};

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
    if !is_phone {
        // Names and companies: any part of them, through the search index.
        return search(conn, &q, limit);
    }
    // Phone prefixes as an index range; if there is room, phone tails through the index on the
    // last four digits. Both stop at `limit`, so suggestions stay fast on a large archive.
    let limit_i = i64::try_from(limit).unwrap_or(10);
    let mut found: Vec<Customer> = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM customers WHERE phone <> '' AND phone >= ?1 AND phone < ?1 || ':'
             ORDER BY phone LIMIT ?2"
        ))?
        .query_map(params![digits, limit_i], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    if found.len() < limit && digits.chars().count() >= 4 {
        let tail: Vec<Customer> = conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM customers WHERE substr(phone, -4) = substr(?1, -4) AND phone GLOB '*' || ?1
                 ORDER BY id DESC LIMIT ?2"
            ))?
            .query_map(params![digits, limit_i], from_row)?
            .collect::<rusqlite::Result<_>>()?;
        for c in tail {
            if found.len() < limit && !found.iter().any(|f| f.id == c.id) {
                found.push(c);
            }
        }
    }
    Ok(found)
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
    let id = tx.last_insert_rowid();
    reindex(tx, id)?;
    Ok(id)
}

/// Updates a returning customer with what was typed this time ([`Customer::fill_in`]: blank
/// fields keep the archive's value).
pub fn fill_in(tx: &Transaction<'_>, id: i64, c: &Customer, now: NaiveDateTime) -> Result<()> {
    let mut archived = get(tx, id)?;
    archived.fill_in(c);
    update_record(tx, &archived, now)?;
    reindex(tx, id)
}

/// Writes the record's own fields (those of [`Customer`]).
fn update_record(tx: &Transaction<'_>, c: &Customer, now: NaiveDateTime) -> Result<()> {
    let changed = tx.execute(
        "UPDATE customers SET surname = ?2, honorific = ?3, name = ?4, phone = ?5, company = ?6,
            region = ?7, updated_at = ?8
         WHERE id = ?1",
        params![
            c.id,
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

/// The search tokens of a text: every window of two alphanumeric characters (lower-cased), and a
/// lone character when the text has only one.
pub fn grams(text: &str) -> Vec<String> {
    let chars: Vec<char> = text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    match chars.len() {
        0 => Vec::new(),
        1 => vec![chars[0].to_string()],
        _ => chars.windows(2).map(|w| w.iter().collect()).collect(),
    }
}

/// Rebuilds the search entry of one customer.
pub fn reindex(tx: &Transaction<'_>, id: i64) -> Result<()> {
    let fields: Option<(String, String, String, String, String)> = tx
        .query_row(
            "SELECT name, surname, company, phone, phone2 FROM customers WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    tx.execute("DELETE FROM customer_search WHERE rowid = ?1", [id])?;
    let Some((name, surname, company, phone, phone2)) = fields else {
        return Ok(());
    };
    // Fields are separated by a full stop so that no token spans two of them.
    let grams: Vec<String> = [name, surname, company, phone, phone2]
        .iter()
        .map(|f| grams(f).join(" "))
        .collect();
    tx.execute(
        "INSERT INTO customer_search (rowid, grams) VALUES (?1, ?2)",
        params![id, grams.join(" . ")],
    )?;
    Ok(())
}

/// Merges the search index into one segment. A deleted or changed customer's old two-character
/// pieces stay in older index segments until they are merged; after anonymising, this drops them
/// (and `secure_delete` zeroes the pages they were on).
pub fn compact_search_index(tx: &Transaction<'_>) -> Result<()> {
    tx.execute(
        "INSERT INTO customer_search (customer_search) VALUES ('optimize')",
        [],
    )?;
    Ok(())
}

/// Rebuilds the whole search index.
pub fn reindex_all(tx: &Transaction<'_>) -> Result<()> {
    tx.execute("DELETE FROM customer_search", [])?;
    let ids: Vec<i64> = tx
        .prepare("SELECT id FROM customers")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in ids {
        reindex(tx, id)?;
    }
    Ok(())
}

/// Customers whose name, surname, company or phones contain `query` (two or more characters
/// anywhere; one character matches a surname or the start of a two-character window), newest
/// customers first. The index is read newest-first and stops at `limit`, so broad queries stay
/// as fast as narrow ones.
pub fn search(conn: &Connection, query: &str, limit: usize) -> Result<Vec<Customer>> {
    let tokens = grams(query);
    let limit = i64::try_from(limit).unwrap_or(50);
    if tokens.is_empty() {
        return Ok(Vec::new());
    }
    let single = tokens.len() == 1 && tokens[0].chars().count() == 1;
    let fts = if single {
        format!("{}*", tokens[0])
    } else {
        format!("\"{}\"", tokens.join(" "))
    };
    let mut ids: Vec<i64> = conn
        .prepare_cached("SELECT rowid FROM customer_search WHERE customer_search MATCH ?1 ORDER BY rowid DESC LIMIT ?2")?
        .query_map(params![fts, limit], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if single {
        // A surname of one character has no two-character window of its own.
        let mut stmt = conn.prepare_cached(
            "SELECT id FROM customers WHERE surname = ?1 ORDER BY id DESC LIMIT ?2",
        )?;
        for id in stmt.query_map(params![tokens[0], limit], |r| r.get::<_, i64>(0))? {
            ids.push(id?);
        }
        ids.sort_unstable_by(|a, b| b.cmp(a));
        ids.dedup();
        ids.truncate(usize::try_from(limit).unwrap_or(50));
    }
    let json = serde_json::to_string(&ids).map_err(|e| StoreError::Io(std::io::Error::other(e)))?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM customers WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id DESC"
    ))?;
    let rows = stmt.query_map([json], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One customer's archive page.
pub fn file(conn: &Connection, id: i64) -> Result<CustomerFile> {
    let customer = get(conn, id)?;
    let mut f = conn.query_row(
        "SELECT phone2, key_account, revisit_days, owner_staff_id, credit_grade, notes, last_revisit_at FROM customers WHERE id = ?1",
        [id],
        |r| {
            Ok(CustomerFile {
                customer: Customer::default(),
                phone2: r.get(0)?,
                key_account: r.get(1)?,
                revisit_days: r.get(2)?,
                owner_staff_id: r.get(3)?,
                credit_grade: r.get(4)?,
                notes: r.get(5)?,
                last_revisit_at: super::parse_ts_opt(r.get(6)?)?,
                credit_history: Vec::new(),
            })
        },
    )?;
    f.customer = customer;
    let mut stmt = conn.prepare_cached("SELECT at, grade, reason, changed_by FROM credit_history WHERE customer_id = ?1 ORDER BY id DESC")?;
    f.credit_history = stmt
        .query_map([id], |r| {
            Ok((
                super::parse_ts(&r.get::<_, String>(0)?)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(f)
}

/// Saves the archive page's editable fields (the credit grade has its own change with a reason).
pub fn save_file(tx: &Transaction<'_>, f: &CustomerFile, now: NaiveDateTime) -> Result<()> {
    let f = f.checked()?;
    let c = &f.customer;
    let before = file(tx, c.id)?;
    tx.execute(
        "UPDATE customers SET surname = ?2, honorific = ?3, name = ?4, phone = ?5, phone2 = ?6, company = ?7, region = ?8,
            key_account = ?9, revisit_days = ?10, owner_staff_id = ?11, notes = ?12, updated_at = ?13 WHERE id = ?1",
        params![
            c.id,
            c.surname,
            c.honorific.map(Honorific::as_zh),
            c.name,
            c.phone,
            f.phone2,
            c.company,
            c.region,
            f.key_account,
            f.revisit_days,
            f.owner_staff_id,
            f.notes,
            ts(now)
        ],
    )?;
    reindex(tx, c.id)?;
    super::audit::record(
        tx,
        now,
        "update",
        "customer",
        Some(c.id),
        &before.audit_line(),
        &f.audit_line(),
    )
}

/// Changes the credit grade with a reason; the history is kept.
pub fn set_credit(
    tx: &Transaction<'_>,
    id: i64,
    grade: &str,
    reason: &str,
    now: NaiveDateTime,
) -> Result<()> {
    let reason = customer::check_credit(grade, reason)?;
    let before: Option<String> = tx
        .query_row(
            "SELECT credit_grade FROM customers WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(StoreError::NotFound)?;
    let by: String = tx
        .query_row("SELECT name FROM temp.session_actor", [], |r| r.get(0))
        .optional()?
        .unwrap_or_default();
    tx.execute(
        "UPDATE customers SET credit_grade = ?2 WHERE id = ?1",
        params![id, grade],
    )?;
    tx.execute(
        "INSERT INTO credit_history (customer_id, at, grade, reason, changed_by) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, ts(now), grade, reason, by],
    )?;
    super::audit::record(
        tx,
        now,
        "credit",
        "customer",
        Some(id),
        &before.unwrap_or_default(),
        &format!("{grade} {reason}"),
    )
}

/// Records that someone looked at a customer's full phone number.
pub fn reveal_phone(tx: &Transaction<'_>, id: i64, now: NaiveDateTime) -> Result<()> {
    get(tx, id)?;
    super::audit::record(tx, now, "reveal_phone", "customer", Some(id), "", "")
}

/// Marks a revisit of a key account (a completed callback or a visit), as
/// [`customer::revisited`] decides; an unknown customer is left alone.
pub fn mark_revisit(tx: &Transaction<'_>, id: i64, at: NaiveDateTime) -> Result<()> {
    let row: Option<(bool, Option<String>)> = tx
        .query_row(
            "SELECT key_account, last_revisit_at FROM customers WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((key_account, last)) = row else {
        return Ok(());
    };
    if let Some(new) = customer::revisited(key_account, super::parse_ts_opt(last)?, at) {
        tx.execute(
            "UPDATE customers SET last_revisit_at = ?2 WHERE id = ?1",
            params![id, ts(new)],
        )?;
    }
    Ok(())
}

/// Key accounts due for a revisit on `today` (never revisited, or last revisit + interval ≤ today),
/// with the date it was due; most overdue first.
pub fn revisit_due(
    conn: &Connection,
    today: chrono::NaiveDate,
) -> Result<Vec<(Customer, Option<chrono::NaiveDate>)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS}, last_revisit_at, revisit_days FROM customers WHERE key_account = 1"
    ))?;
    let rows = stmt.query_map([], |r| {
        let c = from_row(r)?;
        let last: Option<String> = r.get(7)?;
        let days: Option<i64> = r.get(8)?;
        Ok((c, super::parse_ts_opt(last)?, days))
    })?;
    let mut due = Vec::new();
    for row in rows {
        let (c, last, days) = row?;
        let when = customer::next_revisit(last, days);
        if customer::revisit_is_due(when, today) {
            due.push((c, when));
        }
    }
    due.sort_by_key(|(_, w)| *w);
    Ok(due)
}

/// A line of a customer's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryLine {
    /// When.
    pub at: NaiveDateTime,
    /// `visit`, `call`, `callback`, `complaint`, `claim`.
    pub kind: &'static str,
    /// The record's id.
    pub id: i64,
    /// One line about it.
    pub summary: String,
}

/// Everything about a customer: visits, calls, callbacks, complaints, claims — newest first.
pub fn history(conn: &Connection, id: i64) -> Result<Vec<HistoryLine>> {
    let mut lines = Vec::new();
    let queries: [(&'static str, &str); 5] = [
        (
            "visit",
            "SELECT id, arrived_at, purpose FROM visits WHERE customer_id = ?1 AND cancelled_at IS NULL",
        ),
        (
            "call",
            "SELECT id, at, category || ':' || content FROM calls WHERE customer_id = ?1",
        ),
        (
            "callback",
            "SELECT id, created_at, purpose || CASE WHEN done_at IS NULL THEN '' ELSE '(已完成)' END FROM callbacks WHERE customer_id = ?1",
        ),
        (
            "complaint",
            "SELECT id, received_at, category || ' · ' || status || ' · ' || content FROM complaints WHERE customer_id = ?1",
        ),
        (
            "claim",
            "SELECT id, reported_at, waybill || ' · ' || claim_type || ' · ' || status FROM claims WHERE customer_id = ?1",
        ),
    ];
    for (kind, sql) in queries {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map([id], |r| {
            Ok(HistoryLine {
                id: r.get(0)?,
                at: super::parse_ts(&r.get::<_, String>(1)?)?,
                kind,
                summary: r.get(2)?,
            })
        })?;
        for row in rows {
            lines.push(row?);
        }
    }
    lines.sort_by_key(|l| std::cmp::Reverse(l.at));
    Ok(lines)
}

/// Imports customers: one with the same phone is updated, others are added. Returns
/// `(added, updated)`.
pub fn import(
    tx: &Transaction<'_>,
    rows: &[ImportedCustomer],
    now: NaiveDateTime,
) -> Result<(usize, usize)> {
    let (mut added, mut updated) = (0, 0);
    for r in rows {
        let c = r.customer()?;
        let id = match by_phone(tx, &r.phone)? {
            Some(existing) => {
                fill_in(tx, existing.id, &c, now)?;
                updated += 1;
                existing.id
            }
            None => {
                added += 1;
                insert(tx, &c, now)?
            }
        };
        if r.key_account {
            tx.execute(
                "UPDATE customers SET key_account = 1, revisit_days = coalesce(revisit_days, ?2) WHERE id = ?1",
                params![id, customer::DEFAULT_REVISIT_DAYS],
            )?;
        }
        if let Some(grade) = &r.credit_grade {
            set_credit(tx, id, grade, customer::IMPORT_CREDIT_REASON, now)?;
        }
    }
    super::audit::record(
        tx,
        now,
        "import",
        "customer",
        None,
        "",
        &format!("added {added}, updated {updated}"),
    )?;
    Ok((added, updated))
}

/// Merges the duplicate `other` into `keep`: all its visits, calls, callbacks, complaints, claims
/// and credit history move over, `keep` takes over its details as [`CustomerFile::absorb`]
/// decides, and the duplicate record is removed. Audited.
pub fn merge(tx: &Transaction<'_>, keep: i64, other: i64, now: NaiveDateTime) -> Result<()> {
    customer::check_merge(keep, other)?;
    let mut kept = file(tx, keep)?;
    let dup = file(tx, other)?;
    for table in [
        "visits",
        "calls",
        "callbacks",
        "complaints",
        "claims",
        "credit_history",
    ] {
        tx.execute(
            &format!("UPDATE {table} SET customer_id = ?1 WHERE customer_id = ?2"),
            params![keep, other],
        )?;
    }
    kept.absorb(&dup);
    tx.execute(
        "UPDATE customers SET key_account = ?2, phone2 = ?3 WHERE id = ?1",
        params![keep, kept.key_account, kept.phone2],
    )?;
    update_record(tx, &kept.customer, now)?;
    tx.execute("DELETE FROM customer_search WHERE rowid = ?1", [other])?;
    tx.execute("DELETE FROM customers WHERE id = ?1", [other])?;
    reindex(tx, keep)?;
    super::audit::record(
        tx,
        now,
        "merge",
        "customer",
        Some(keep),
        &format!("#{other}"),
        &format!("#{keep}"),
    )
}

/// The archive as a table for export: phones masked unless `full` (a supervisor's deliberate
/// choice, recorded in the audit trail by the caller).
pub fn export_table(conn: &Connection, full: bool) -> Result<crate::report::Table> {
    use crate::report::Cell;
    let mut stmt = conn.prepare(
        "SELECT id, surname, honorific, name, phone, phone2, company, region, key_account, coalesce(credit_grade, '')
         FROM customers WHERE surname <> '' OR name <> '' OR phone <> '' ORDER BY id",
    )?;
    let show = |p: String| {
        if full {
            p
        } else {
            crate::domain::customer::mask_phone(&p)
        }
    };
    let rows = stmt
        .query_map([], |r| {
            Ok(vec![
                Cell::Int(r.get(0)?),
                Cell::Text(r.get(1)?),
                Cell::Text(r.get::<_, Option<String>>(2)?.unwrap_or_default()),
                Cell::Text(r.get(3)?),
                Cell::Text(show(r.get(4)?)),
                Cell::Text(show(r.get(5)?)),
                Cell::Text(r.get(6)?),
                Cell::Text(r.get(7)?),
                Cell::Text(if r.get::<_, bool>(8)? { "是" } else { "否" }.into()),
                Cell::Text(r.get(9)?),
            ])
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(crate::report::Table::new(
        &[
            "id",
            "surname",
            "honorific",
            "name",
            "phone",
            "phone2",
            "company",
            "region",
            "key_account",
            "credit_grade",
        ],
        rows,
    ))
}
