//! The customer archive, as far as reception needs it: find, create, fill in.

use chrono::NaiveDateTime;

use super::db::{Backend, Db, Row};
use super::{Result, StoreError};
use crate::db_params;
use crate::domain::customer::{self, Customer, Honorific};

pub use crate::domain::customer::{CustomerFile, ImportedCustomer};

/// A customer from the columns of [`COLUMNS`], in that order.
fn from_row(r: &Row<'_>) -> Result<Customer> {
    let honorific: Option<String> = r.get(2)?;
    Ok(Customer {
        id: r.get(0)?,
        surname: r.get(1)?,
        honorific: honorific.as_deref().and_then(Honorific::parse),
        name: r.get(3)?,
        phone: r.get(4)?,
        company: r.get(5)?,
        region: r.get(6)?,
    })
}

const COLUMNS: &str = "id, surname, honorific, name, phone, company, region";

/// One customer.
pub fn get<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<Customer> {
    db.into().query_row(
        &format!("SELECT {COLUMNS} FROM customers WHERE id = ?1"),
        db_params![id],
        from_row,
    )
}

/// The customer with exactly this (normalised) phone number, if any.
pub fn by_phone<'a>(db: impl Into<Db<'a>>, phone: &str) -> Result<Option<Customer>> {
    if phone.is_empty() {
        return Ok(None);
    }
    db.into().query_opt(
        // `phone <> ''` repeats the phone index's condition, so the index answers (with a bound
        // parameter SQLite cannot tell that it is not '' and scanned every customer).
        &format!(
            "SELECT {COLUMNS} FROM customers WHERE phone = ?1 AND phone <> '' ORDER BY id LIMIT 1"
        ),
        db_params![phone],
        from_row,
    )
}

/// Removes GLOB wildcards so user text matches literally.
fn glob_literal(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '*' | '?' | '[' | ']'))
        .collect()
}

/// Customers matching what is being typed at registration: phone prefix or the last digits of
/// a phone (4 or more), or a name/surname prefix. At most `limit`, best matches first.
pub fn suggest<'a>(db: impl Into<Db<'a>>, query: &str, limit: usize) -> Result<Vec<Customer>> {
    let db = db.into();
    let q = glob_literal(query.trim());
    if q.is_empty() {
        return Ok(Vec::new());
    }
    let digits: String = q.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let is_phone = digits.chars().all(|c| c.is_ascii_digit() || c == '+');
    if !is_phone {
        // Names and companies: any part of them, through the search index.
        return search(db, &q, limit);
    }
    // Phone prefixes as an index range; if there is room, phone tails through the index on the
    // last four digits. Both stop at `limit`, so suggestions stay fast on a large archive.
    let limit_i = i64::try_from(limit).unwrap_or(10);
    let mut found: Vec<Customer> = db.query_map(
        &format!(
            "SELECT {COLUMNS} FROM customers WHERE phone <> '' AND phone >= ?1 AND phone < ?1 || ':'
             ORDER BY phone LIMIT ?2"
        ),
        db_params![digits, limit_i],
        from_row,
    )?;
    if found.len() < limit && digits.chars().count() >= 4 {
        // Each backend's index on the last four digits has its own expression.
        let ends_with = db.pick(
            "substr(phone, -4) = substr(?1, -4) AND phone GLOB '*' || ?1",
            "right(phone, 4) = right(?1, 4) AND right(phone, length(?1)) = ?1",
        );
        let tail: Vec<Customer> = db.query_map(
            &format!(
                "SELECT {COLUMNS} FROM customers WHERE {ends_with}
                 ORDER BY id DESC LIMIT ?2"
            ),
            db_params![digits, limit_i],
            from_row,
        )?;
        for c in tail {
            if found.len() < limit && !found.iter().any(|f| f.id == c.id) {
                found.push(c);
            }
        }
    }
    Ok(found)
}

/// Adds a customer.
pub fn insert<'a>(db: impl Into<Db<'a>>, c: &Customer, now: NaiveDateTime) -> Result<i64> {
    let db = db.into();
    let id: i64 = db.query_value(
        "INSERT INTO customers (surname, honorific, name, phone, company, region, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) RETURNING id",
        db_params![
            c.surname,
            c.honorific.map(Honorific::as_zh),
            c.name,
            c.phone,
            c.company,
            c.region,
            now
        ],
    )?;
    reindex(db, id)?;
    Ok(id)
}

/// Updates a returning customer with what was typed this time ([`Customer::fill_in`]: blank
/// fields keep the archive's value).
pub fn fill_in<'a>(db: impl Into<Db<'a>>, id: i64, c: &Customer, now: NaiveDateTime) -> Result<()> {
    let db = db.into();
    let mut archived = get(db, id)?;
    archived.fill_in(c);
    update_record(db, &archived, now)?;
    reindex(db, id)
}

/// Writes the record's own fields (those of [`Customer`]).
fn update_record(db: Db<'_>, c: &Customer, now: NaiveDateTime) -> Result<()> {
    let changed = db.execute(
        "UPDATE customers SET surname = ?2, honorific = ?3, name = ?4, phone = ?5, company = ?6,
            region = ?7, updated_at = ?8
         WHERE id = ?1",
        db_params![
            c.id,
            c.surname,
            c.honorific.map(Honorific::as_zh),
            c.name,
            c.phone,
            c.company,
            c.region,
            now
        ],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Number of customers in the archive.
pub fn count<'a>(db: impl Into<Db<'a>>) -> Result<i64> {
    db.into()
        .query_value("SELECT count(*) FROM customers", db_params![])
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
pub fn reindex<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<()> {
    let db = db.into();
    let fields: Option<(String, String, String, String, String)> = db.query_opt(
        "SELECT name, surname, company, phone, phone2 FROM customers WHERE id = ?1",
        db_params![id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    db.execute(
        "DELETE FROM customer_search WHERE rowid = ?1",
        db_params![id],
    )?;
    let Some((name, surname, company, phone, phone2)) = fields else {
        return Ok(());
    };
    // Fields are separated by a full stop so that no token spans two of them.
    let grams: Vec<String> = [name, surname, company, phone, phone2]
        .iter()
        .map(|f| grams(f).join(" "))
        .collect();
    db.execute(
        "INSERT INTO customer_search (rowid, grams) VALUES (?1, ?2)",
        db_params![id, grams.join(" . ")],
    )?;
    Ok(())
}

/// Merges the search index into one segment. A deleted or changed customer's old two-character
/// pieces stay in older index segments until they are merged; after anonymising, this drops them
/// (and `secure_delete` zeroes the pages they were on). PostgreSQL's index has no segments: there
/// this does nothing (reclaiming dead rows is VACUUM's job).
pub fn compact_search_index<'a>(db: impl Into<Db<'a>>) -> Result<()> {
    let db = db.into();
    if db.backend() == Backend::Sqlite {
        db.execute(
            "INSERT INTO customer_search (customer_search) VALUES ('optimize')",
            db_params![],
        )?;
    }
    Ok(())
}

/// Rebuilds the whole search index.
pub fn reindex_all<'a>(db: impl Into<Db<'a>>) -> Result<()> {
    let db = db.into();
    db.execute("DELETE FROM customer_search", db_params![])?;
    let ids: Vec<i64> = db.query_map("SELECT id FROM customers", db_params![], |r| r.get(0))?;
    for id in ids {
        reindex(db, id)?;
    }
    Ok(())
}

/// Customers whose name, surname, company or phones contain `query` (two or more characters
/// anywhere; one character matches a surname or the start of a two-character window), newest
/// customers first. The index is read newest-first and stops at `limit`, so broad queries stay
/// as fast as narrow ones.
pub fn search<'a>(db: impl Into<Db<'a>>, query: &str, limit: usize) -> Result<Vec<Customer>> {
    let db = db.into();
    let tokens = grams(query);
    let limit = i64::try_from(limit).unwrap_or(50);
    if tokens.is_empty() {
        return Ok(Vec::new());
    }
    let single = tokens.len() == 1 && tokens[0].chars().count() == 1;
    let mut ids: Vec<i64> = match db.backend() {
        Backend::Sqlite => {
            let fts = if single {
                format!("{}*", tokens[0])
            } else {
                format!("\"{}\"", tokens.join(" "))
            };
            db.query_map(
                "SELECT rowid FROM customer_search WHERE customer_search MATCH ?1 ORDER BY rowid DESC LIMIT ?2",
                db_params![fts, limit],
                |r| r.get(0),
            )?
        }
        Backend::Postgres => search_grams(db, &tokens, single, limit)?,
    };
    if single {
        // A surname of one character has no two-character window of its own.
        ids.extend(db.query_map(
            "SELECT id FROM customers WHERE surname = ?1 ORDER BY id DESC LIMIT ?2",
            db_params![tokens[0], limit],
            |r| r.get::<i64>(0),
        )?);
        ids.sort_unstable_by(|a, b| b.cmp(a));
        ids.dedup();
        ids.truncate(usize::try_from(limit).unwrap_or(50));
    }
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("?{i}")).collect();
    let params: Vec<&dyn super::db::ToValue> =
        ids.iter().map(|id| id as &dyn super::db::ToValue).collect();
    db.query_map(
        &format!(
            "SELECT {COLUMNS} FROM customers WHERE id IN ({}) ORDER BY id DESC",
            placeholders.join(", ")
        ),
        &params,
        from_row,
    )
}

/// Escapes `%`, `_` and `!` for `LIKE … ESCAPE '!'`.
fn like_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '!') {
            out.push('!');
        }
        out.push(c);
    }
    out
}

/// The PostgreSQL side of [`search`]: what SQLite's FTS5 phrase (or one-character prefix) query
/// finds, as `LIKE` over the same gram text. Every gram must occur (the trigram index answers
/// these), and the grams must follow each other as tokens, as in an FTS5 phrase: fields are
/// separated by ` . `, which FTS5 does not count as a token, so the phrase is matched with the
/// separators taken out.
fn search_grams(db: Db<'_>, tokens: &[String], single: bool, limit: i64) -> Result<Vec<i64>> {
    // One clause, answered by the trigram index on the padded text (store/pg/0008_*.sql); a
    // clause per window as well would only make the planner misjudge how many rows match.
    let pattern = if single {
        // A prefix query: a window that starts with the character.
        format!("% {}%", like_literal(&tokens[0]))
    } else {
        format!("% {} %", like_literal(&tokens.join(" ")))
    };
    // Planned for this pattern: a generic plan cannot know whether it is common (read the
    // newest customers until enough match) or rare (ask the index), and read the whole index.
    db.query_map_planned(
        "SELECT rowid FROM customer_search
         WHERE ' ' || replace(grams, ' . ', ' ') || ' ' LIKE ?1 ESCAPE '!'
         ORDER BY rowid DESC LIMIT ?2",
        db_params![pattern, limit],
        |r| r.get(0),
    )
}

/// One customer's archive page.
pub fn file<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<CustomerFile> {
    let db = db.into();
    let customer = get(db, id)?;
    let mut f = db.query_row(
        "SELECT phone2, key_account, revisit_days, owner_staff_id, credit_grade, notes, last_revisit_at FROM customers WHERE id = ?1",
        db_params![id],
        |r| {
            Ok(CustomerFile {
                customer: Customer::default(),
                phone2: r.get(0)?,
                key_account: r.get(1)?,
                revisit_days: r.get(2)?,
                owner_staff_id: r.get(3)?,
                credit_grade: r.get(4)?,
                notes: r.get(5)?,
                last_revisit_at: r.get(6)?,
                credit_history: Vec::new(),
            })
        },
    )?;
    f.customer = customer;
    f.credit_history = db.query_map(
        "SELECT at, grade, reason, changed_by FROM credit_history WHERE customer_id = ?1 ORDER BY id DESC",
        db_params![id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    Ok(f)
}

/// Saves the archive page's editable fields (the credit grade has its own change with a reason).
pub fn save_file<'a>(db: impl Into<Db<'a>>, f: &CustomerFile, now: NaiveDateTime) -> Result<()> {
    let db = db.into();
    let f = f.checked()?;
    let c = &f.customer;
    let before = file(db, c.id)?;
    db.execute(
        "UPDATE customers SET surname = ?2, honorific = ?3, name = ?4, phone = ?5, phone2 = ?6, company = ?7, region = ?8,
            key_account = ?9, revisit_days = ?10, owner_staff_id = ?11, notes = ?12, updated_at = ?13 WHERE id = ?1",
        db_params![
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
            now
        ],
    )?;
    reindex(db, c.id)?;
    super::audit::record(
        db,
        now,
        "update",
        "customer",
        Some(c.id),
        &before.audit_line(),
        &f.audit_line(),
    )
}

/// Changes the credit grade with a reason; the history is kept.
pub fn set_credit<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    grade: &str,
    reason: &str,
    now: NaiveDateTime,
) -> Result<()> {
    let db = db.into();
    let reason = customer::check_credit(grade, reason)?;
    let before: Option<String> = db.query_row(
        "SELECT credit_grade FROM customers WHERE id = ?1",
        db_params![id],
        |r| r.get(0),
    )?;
    // The acting user, from the connection's TEMP table (see `audit::set_actor`).
    let by: String = db
        .query_opt("SELECT name FROM session_actor", db_params![], |r| r.get(0))?
        .unwrap_or_default();
    db.execute(
        "UPDATE customers SET credit_grade = ?2 WHERE id = ?1",
        db_params![id, grade],
    )?;
    db.execute(
        "INSERT INTO credit_history (customer_id, at, grade, reason, changed_by) VALUES (?1, ?2, ?3, ?4, ?5)",
        db_params![id, now, grade, reason, by],
    )?;
    super::audit::record(
        db,
        now,
        "credit",
        "customer",
        Some(id),
        &before.unwrap_or_default(),
        &format!("{grade} {reason}"),
    )
}

/// Records that someone looked at a customer's full phone number.
pub fn reveal_phone<'a>(db: impl Into<Db<'a>>, id: i64, now: NaiveDateTime) -> Result<()> {
    let db = db.into();
    get(db, id)?;
    super::audit::record(db, now, "reveal_phone", "customer", Some(id), "", "")
}

/// Marks a revisit of a key account (a completed callback or a visit), as
/// [`customer::revisited`] decides; an unknown customer is left alone.
pub fn mark_revisit<'a>(db: impl Into<Db<'a>>, id: i64, at: NaiveDateTime) -> Result<()> {
    let db = db.into();
    let row: Option<(bool, Option<NaiveDateTime>)> = db.query_opt(
        "SELECT key_account, last_revisit_at FROM customers WHERE id = ?1",
        db_params![id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let Some((key_account, last)) = row else {
        return Ok(());
    };
    if let Some(new) = customer::revisited(key_account, last, at) {
        db.execute(
            "UPDATE customers SET last_revisit_at = ?2 WHERE id = ?1",
            db_params![id, new],
        )?;
    }
    Ok(())
}

/// Key accounts due for a revisit on `today` (never revisited, or last revisit + interval ≤ today),
/// with the date it was due; most overdue first.
pub fn revisit_due<'a>(
    db: impl Into<Db<'a>>,
    today: chrono::NaiveDate,
) -> Result<Vec<(Customer, Option<chrono::NaiveDate>)>> {
    let rows: Vec<(Customer, Option<NaiveDateTime>, Option<i64>)> = db.into().query_map(
        &format!(
            "SELECT {COLUMNS}, last_revisit_at, revisit_days FROM customers WHERE key_account = 1 ORDER BY id"
        ),
        db_params![],
        |r| Ok((from_row(r)?, r.get(7)?, r.get(8)?)),
    )?;
    let mut due = Vec::new();
    for (c, last, days) in rows {
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
    /// `visit`, `call`, `callback`, `complaint`, `claim`, `waybill`.
    pub kind: &'static str,
    /// The record's id.
    pub id: i64,
    /// One line about it.
    pub summary: String,
}

/// Everything about a customer: visits, calls, callbacks, complaints, claims — newest first.
pub fn history<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<Vec<HistoryLine>> {
    let db = db.into();
    let mut lines = Vec::new();
    let queries: [(&'static str, &str); 6] = [
        (
            "visit",
            "SELECT id, arrived_at, purpose FROM visits WHERE customer_id = ?1 AND cancelled_at IS NULL ORDER BY id",
        ),
        (
            "call",
            "SELECT id, at, category || ':' || content FROM calls WHERE customer_id = ?1 ORDER BY id",
        ),
        (
            "callback",
            "SELECT id, created_at, purpose || CASE WHEN done_at IS NULL THEN '' ELSE '(已完成)' END FROM callbacks WHERE customer_id = ?1 ORDER BY id",
        ),
        (
            "complaint",
            "SELECT id, received_at, category || ' · ' || status || ' · ' || content FROM complaints WHERE customer_id = ?1 ORDER BY id",
        ),
        (
            "claim",
            "SELECT id, reported_at, waybill || ' · ' || claim_type || ' · ' || status FROM claims WHERE customer_id = ?1 ORDER BY id",
        ),
        (
            "waybill",
            "SELECT id, at, waybill_no || ' · ' || CASE WHEN confirmed_at IS NOT NULL THEN '已办结'
                 WHEN handled_at IS NOT NULL THEN '待告知客户' ELSE '待部门答复' END
             FROM waybill_changes WHERE customer_id = ?1 ORDER BY id",
        ),
    ];
    for (kind, sql) in queries {
        lines.extend(db.query_map(sql, db_params![id], |r| {
            Ok(HistoryLine {
                id: r.get(0)?,
                at: r.get(1)?,
                kind,
                summary: r.get(2)?,
            })
        })?);
    }
    lines.sort_by_key(|l| std::cmp::Reverse(l.at));
    Ok(lines)
}

/// Imports customers: one with the same phone is updated, others are added. Returns
/// `(added, updated)`.
pub fn import<'a>(
    db: impl Into<Db<'a>>,
    rows: &[ImportedCustomer],
    now: NaiveDateTime,
) -> Result<(usize, usize)> {
    let db = db.into();
    let (mut added, mut updated) = (0, 0);
    for r in rows {
        let c = r.customer()?;
        let id = match by_phone(db, &r.phone)? {
            Some(existing) => {
                fill_in(db, existing.id, &c, now)?;
                updated += 1;
                existing.id
            }
            None => {
                added += 1;
                insert(db, &c, now)?
            }
        };
        if r.key_account {
            db.execute(
                "UPDATE customers SET key_account = 1, revisit_days = coalesce(revisit_days, ?2) WHERE id = ?1",
                db_params![id, customer::DEFAULT_REVISIT_DAYS],
            )?;
        }
        if let Some(grade) = &r.credit_grade {
            set_credit(db, id, grade, customer::IMPORT_CREDIT_REASON, now)?;
        }
    }
    super::audit::record(
        db,
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
pub fn merge<'a>(db: impl Into<Db<'a>>, keep: i64, other: i64, now: NaiveDateTime) -> Result<()> {
    let db = db.into();
    customer::check_merge(keep, other)?;
    let mut kept = file(db, keep)?;
    let dup = file(db, other)?;
    for table in [
        "visits",
        "calls",
        "callbacks",
        "complaints",
        "claims",
        "credit_history",
        "waybill_changes",
    ] {
        db.execute(
            &format!("UPDATE {table} SET customer_id = ?1 WHERE customer_id = ?2"),
            db_params![keep, other],
        )?;
    }
    kept.absorb(&dup);
    db.execute(
        "UPDATE customers SET key_account = ?2, phone2 = ?3 WHERE id = ?1",
        db_params![keep, kept.key_account, kept.phone2],
    )?;
    update_record(db, &kept.customer, now)?;
    db.execute(
        "DELETE FROM customer_search WHERE rowid = ?1",
        db_params![other],
    )?;
    db.execute("DELETE FROM customers WHERE id = ?1", db_params![other])?;
    reindex(db, keep)?;
    super::audit::record(
        db,
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
pub fn export_table<'a>(db: impl Into<Db<'a>>, full: bool) -> Result<crate::report::Table> {
    use crate::report::Cell;
    let show = |p: String| {
        if full {
            p
        } else {
            crate::domain::customer::mask_phone(&p)
        }
    };
    let rows = db.into().query_map(
        "SELECT id, surname, honorific, name, phone, phone2, company, region, key_account, coalesce(credit_grade, '')
         FROM customers WHERE surname <> '' OR name <> '' OR phone <> '' ORDER BY id",
        db_params![],
        |r| {
            Ok(vec![
                Cell::Int(r.get(0)?),
                Cell::Text(r.get(1)?),
                Cell::Text(r.get::<Option<String>>(2)?.unwrap_or_default()),
                Cell::Text(r.get(3)?),
                Cell::Text(show(r.get(4)?)),
                Cell::Text(show(r.get(5)?)),
                Cell::Text(r.get(6)?),
                Cell::Text(r.get(7)?),
                Cell::Text(if r.get::<bool>(8)? { "是" } else { "否" }.into()),
                Cell::Text(r.get(9)?),
            ])
        },
    )?;
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
